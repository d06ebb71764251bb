/**
 * The `esdsl` target: one Elasticsearch search body per detection,
 * `elastic/esdsl/<name>.json`, for the indices of the chosen Elastic profile:
 * - filter and threshold detections: `{"query": {"bool": {"filter": […], "must_not": […]}}}`,
 *   the events the detection looks at (a threshold counts them per group; counting is the
 *   rule's job);
 * - sequences: `{"steps": [{"name": "<step>", "query": {…}}, …]}`, one query per step in
 *   order.
 * A condition the DSL cannot express exactly is a DET5001 diagnostic and no file.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { stableJson } from '../../emit/json.js';
import type { Program } from '../../ir/types.js';
import type { SourceDefinition } from '../../source/types.js';
import { eventConditions } from '../elastic/conditions.js';
import { dslQuery, resolveProfile, type DslQuery } from '../elastic/query.js';
import type { Backend, BackendOptions, FileSink } from '../types.js';

/** Folder below the output folder that holds every file of this target. */
export const ESDSL_ROOT = 'elastic/esdsl';

/** The `esdsl` backend. */
export const esdslBackend: Backend = {
  target: 'esdsl',
  description: 'Elasticsearch query DSL, one search body per detection (elastic/esdsl/<name>.json)',
  emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[] {
    const { profile, diagnostics } = resolveProfile(source, options.elasticProfile);
    if (!profile) return diagnostics;
    const all: Diagnostic[] = [];
    for (const d of program.detections) {
      const steps: { name?: string; query: DslQuery }[] = [];
      let failed = false;
      for (const c of eventConditions(d)) {
        const r = dslQuery(c.condition, profile, source, { detection: d.name, span: d.span });
        all.push(...r.diagnostics);
        if (r.query) steps.push({ ...(c.step !== undefined ? { name: c.step } : {}), query: r.query });
        else failed = true;
      }
      if (failed) continue;
      const body = d.match.kind === 'sequence' ? { steps } : { query: steps[0]!.query };
      sink({ path: `${ESDSL_ROOT}/${d.name}.json`, content: stableJson(body) });
    }
    return all;
  },
};
