/**
 * The proof step: the parser function and every rule query go through Kusto.Language against
 * the Sentinel table schemas (`data/sentinel-tables.json`), with the parser declared as a
 * function, and every problem the analyser reports is a compile error (DET5101): at the
 * detection for a rule query, without a location for the parser (generated from the source).
 * One analyser per parser text (and verdict cache) is kept for the life of the process.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Detection } from '../../ir/types.js';
import { KustoAnalyser, type KustoProblem } from '../../kusto/analyser.js';
import type { AnalysisCache } from '../../kusto/cache.js';
import { sentinelTables } from '../../kusto/tables.js';
import type { ParserFunction } from '../kql/parser.js';
import type { RuleQuery } from '../kql/query.js';

interface Prepared {
  readonly analyser: KustoAnalyser;
  readonly parserProblems: readonly KustoProblem[];
}

const uncached = new Map<string, Prepared>();
const byCache = new WeakMap<AnalysisCache, Map<string, Prepared>>();

/** The analyser with `parser` declared (analysed once per process, parser text and cache). */
export function analyserFor(parser: ParserFunction, cache?: AnalysisCache): Prepared {
  let prepared = uncached;
  if (cache) {
    prepared = byCache.get(cache) ?? new Map<string, Prepared>();
    byCache.set(cache, prepared);
  }
  const key = `${parser.name}\n${parser.body}`;
  let p = prepared.get(key);
  if (!p) {
    const analyser = new KustoAnalyser(sentinelTables(), cache);
    const result = analyser.declareFunction(parser.name, parser.body, `Falco alerts parser (${parser.name})`);
    p = { analyser, parserProblems: result.problems };
    prepared.set(key, p);
  }
  return p;
}

const HINT =
  'the compiler produced KQL that Kusto.Language rejects; unless the source definition names something Sentinel does not have, this is a compiler bug: please report it with the query';

/**
 * Kusto's parser has a depth limit (KS245): a long chain of `and`/`or` in one condition passes
 * it. That is the detection's size, not a compiler bug.
 */
const DEPTH_HINT = 'the condition has too many terms chained by and/or for Kusto to parse: write `f != "a" and f != "b" …` as `not f in ["a", "b", …]`, or split the detection';

function hintFor(problem: KustoProblem): string {
  return problem.code === 'KS245' ? DEPTH_HINT : HINT;
}

function describe(problem: KustoProblem, text: string): string {
  const at = text.slice(Math.max(0, problem.start - 20), problem.start + Math.max(problem.length, 1) + 20).replace(/\s+/g, ' ');
  return `${problem.code} ${problem.message} (near \`${at}\`)`;
}

/** DET5101 for every problem of the parser and of the queries (`queries[i]` belongs to `detections[i]`). */
export function analyse(parser: ParserFunction, detections: readonly Detection[], queries: readonly RuleQuery[], cache?: AnalysisCache): Diagnostic[] {
  const { analyser, parserProblems } = analyserFor(parser, cache);
  const out: Diagnostic[] = parserProblems.map((p) => ({
    code: Codes.KqlAnalysis.code,
    severity: 'error' as const,
    message: `the generated parser function ${parser.name}: ${describe(p, parser.body)}`,
    hint: HINT,
  }));
  if (parserProblems.length > 0) return out;
  const results = analyser.analyse(
    queries.map((q) => ({ text: q.text, shape: q.shape, parts: { skeleton: q.skeleton, atoms: q.atoms, source: parser.name } })),
  );
  results.forEach((result, i) => {
    const d = detections[i] as Detection;
    for (const p of result.problems) {
      out.push({ code: Codes.KqlAnalysis.code, severity: 'error', message: `detection ${d.name}: the generated query: ${describe(p, p.text)}`, span: d.span, hint: hintFor(p) });
    }
  });
  return out;
}
