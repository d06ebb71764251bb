/**
 * The `lucene` target: one Lucene query string per detection, `elastic/lucene/<name>.lucene`,
 * for Elasticsearch's `query_string` or Kibana's Lucene language over the chosen Elastic
 * profile's indices:
 * - filter and threshold detections: the query, then a newline (the query may itself contain
 *   raw line breaks taken from values);
 * - sequences: one line per step, in step order (a step whose query would contain a line
 *   break is a DET5001 diagnostic, as it would not fit on its line).
 * A condition Lucene cannot express exactly is a DET5001 diagnostic and no file.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Program } from '../../ir/types.js';
import type { SourceDefinition } from '../../source/types.js';
import { eventConditions } from '../elastic/conditions.js';
import { luceneQuery, resolveProfile } from '../elastic/query.js';
import type { Backend, BackendOptions, FileSink } from '../types.js';

/** Folder below the output folder that holds every file of this target. */
export const LUCENE_ROOT = 'elastic/lucene';

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** The `lucene` backend. */
export const luceneBackend: Backend = {
  target: 'lucene',
  description: 'Lucene query strings, one per detection (elastic/lucene/<name>.lucene)',
  emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[] {
    const { profile, diagnostics } = resolveProfile(source, options.elasticProfile);
    if (!profile) return diagnostics;
    const all: Diagnostic[] = [];
    for (const d of program.detections) {
      const lines: string[] = [];
      let failed = false;
      for (const c of eventConditions(d)) {
        const r = luceneQuery(c.condition, profile, source, { detection: d.name, span: d.span });
        all.push(...r.diagnostics);
        if (r.query === undefined) {
          failed = true;
        } else if (c.step !== undefined && LINE_BREAK.test(r.query)) {
          failed = true;
          all.push({
            code: Codes.TargetCannotExpress.code,
            severity: Codes.TargetCannotExpress.severity,
            message: `target lucene cannot put step '${c.step}' of sequence '${d.name}' on one line: its query contains a line break (from a value, or from a regex \`.\`, which excludes line breaks)`,
            span: d.span,
            hint: 'use the esdsl target for this sequence, or avoid `.` and line breaks in the step\'s regular expressions (e.g. [^/] instead of .)',
          });
        } else {
          lines.push(r.query);
        }
      }
      if (failed) continue;
      sink({ path: `${LUCENE_ROOT}/${d.name}.lucene`, content: `${lines.join('\n')}\n` });
    }
    return all;
  },
};
