/**
 * Semantic analysis of KQL with Kusto.Language against a fixed set of tables plus declared
 * functions: the check that every query the compiler emits parses, binds every name and
 * type-checks exactly as the Azure Data Explorer / Sentinel editor would.
 *
 * Cost model (measured, see the Sentinel backend's README section): loading the library and the
 * first analysis take about 1 s; then an analysis costs 1–3 ms per query. So:
 * - a declared function is analysed once; later queries see it as a function whose result is
 *   the body's result type (the analyser would otherwise re-bind the body in every query);
 * - queries that differ only in the values of their literals (the caller says so by giving the
 *   same `shape`) share one analysis: literal values cannot change what the analyser reports,
 *   as long as each literal is one well-formed token, which the escaping tests prove;
 * - distinct queries are analysed in batches (one script of `;`-separated statements), and a
 *   batch with a problem is analysed again query by query, so problems are attributed exactly;
 * - beyond `wholeUpTo` distinct queries (thousands of detections), the analysis is modular:
 *   each distinct *skeleton* (the query with its conditions replaced by `true`) and each
 *   distinct *atom* (a comparison, analysed as `<function> | where <atom>`) is analysed once.
 *   The conditions are `and`/`or`/`not` of atoms, all boolean, so a query is clean exactly when
 *   its skeleton and its atoms are: the same verdict for a fraction of the work;
 * - with an `AnalysisCache`, verdicts found in an earlier run are reused, and Kusto.Language is
 *   loaded only when something is not in the cache.
 */
import { verdictKey, type AnalysisCache } from './cache.js';
import { kustoLibrary, kustoVersion, type KGlobals, type KSymbol, type KTableSymbol } from './library.js';
import { schemaText, type KustoColumn, type KustoTable } from './tables.js';

/** One diagnostic of Kusto.Language, with its offset in the analysed text. */
export interface KustoProblem {
  /** Kusto's code, e.g. `KS142`. */
  readonly code: string;
  /** `Error`, `Warning`, … as Kusto reports it. */
  readonly severity: string;
  readonly message: string;
  /** Offset and length in the query text. */
  readonly start: number;
  readonly length: number;
}

export interface QueryToAnalyse {
  readonly text: string;
  /**
   * The query with every literal value replaced by a placeholder of the same type. Queries with
   * equal shapes share one analysis (of the first of them). Defaults to `text`.
   */
  readonly shape?: string;
  /** The query's decomposition, for the modular analysis. */
  readonly parts?: {
    /** The query with each condition replaced by `true`. */
    readonly skeleton: string;
    /** The comparisons of its conditions (boolean expressions), with their shapes. */
    readonly atoms: readonly { readonly text: string; readonly shape: string }[];
    /** The tabular expression the atoms are evaluated over (the parser function's name). */
    readonly source: string;
  };
}

/** A problem and the text its offsets refer to (the query, or the part of it analysed). */
export interface LocatedProblem extends KustoProblem {
  readonly text: string;
}

/** What the analyser said about one query. */
export interface QueryAnalysis {
  readonly problems: readonly LocatedProblem[];
}

export interface AnalyseOptions {
  /** Analyse whole queries when there are at most this many distinct shapes (default 100). */
  readonly wholeUpTo?: number;
}

export interface FunctionAnalysis {
  readonly problems: readonly KustoProblem[];
  /** The body's result columns (empty when the body is not tabular or has errors). */
  readonly columns: readonly KustoColumn[];
}

/** Queries per batch: large enough to amortise the per-analysis cost, small enough to re-run. */
const BATCH = 25;

/** Statistics of the work done, for tests and the benchmark report. */
export interface AnalyserStats {
  /** Queries asked about. */
  queries: number;
  /** Distinct shapes (whole queries, or skeletons and atoms), i.e. units analysed. */
  shapes: number;
  /** Whether the last `analyse` call was modular. */
  modular: boolean;
  /** `ParseAndAnalyze` calls made. */
  analyses: number;
}

interface Loaded {
  /** The tables, then the functions declared so far. */
  readonly symbols: KSymbol[];
  globals: KGlobals;
}

/** An analyser over `tables`, with the functions declared through `declareFunction`. */
export class KustoAnalyser {
  private loaded: Loaded | undefined;
  private readonly functions: { name: string; body: string; description: string }[] = [];
  private readonly memory = new Map<string, readonly LocatedProblem[]>();
  /** Everything a verdict depends on besides the analysed text. */
  private environment: string;
  readonly stats: AnalyserStats = { queries: 0, shapes: 0, analyses: 0, modular: false };

  constructor(
    private readonly tables: readonly KustoTable[],
    private readonly cache?: AnalysisCache,
  ) {
    this.environment = verdictKey([`kusto ${kustoVersion()}`, ...tables.map((t) => `${t.name}${schemaText(t.columns)}`)]);
  }

  /** Whether Kusto.Language had to run (false when every verdict came from the cache). */
  get usedKusto(): boolean {
    return this.loaded !== undefined;
  }

  /** Kusto.Language with the tables and the declared functions, set up on first need. */
  private kusto(): Loaded {
    if (!this.loaded) {
      const kusto = kustoLibrary();
      const symbols = this.tables.map((t) => kusto.table(t.name, schemaText(t.columns)));
      this.loaded = { symbols, globals: kusto.globals('sentinel', symbols) };
      for (const f of this.functions) this.bind(f.name, f.body, f.description);
    }
    return this.loaded;
  }

  /** Analyses a function body and, when it is tabular, declares the function with its result type. */
  private bind(name: string, body: string, description: string): FunctionAnalysis {
    const kusto = kustoLibrary();
    const loaded = this.loaded as Loaded;
    const code = kusto.parseAndAnalyze(body, loaded.globals);
    this.stats.analyses++;
    const problems = problemsOf(code.GetDiagnostics());
    const result = code.ResultType as KTableSymbol | null;
    const columns: KustoColumn[] = [];
    if (result && result.Columns) {
      for (let i = 0; i < result.Columns.Count; i++) {
        const c = result.Columns.getItem(i);
        columns.push({ name: c.Name, type: c.Type.Name });
      }
    }
    if (result && columns.length > 0) {
      loaded.symbols.push(kusto.functionWithResult(name, result, description));
      loaded.globals = kusto.globals('sentinel', loaded.symbols);
    }
    return { problems, columns };
  }

  /**
   * Analyses the body of a parameterless tabular function (`name() { body }`) and declares the
   * function, with the body's result columns, for the queries analysed afterwards. Problems
   * carry offsets into `body`.
   */
  declareFunction(name: string, body: string, description = ''): FunctionAnalysis {
    const key = verdictKey(['function', this.environment, name, body]);
    const declared = (): void => {
      this.functions.push({ name, body, description });
      this.environment = verdictKey([this.environment, name, body]);
      this.memory.clear();
    };
    const cached = this.cache?.get(key);
    if (cached && !this.loaded) {
      // Bound later, with the others, if some query is not in the cache.
      declared();
      return { problems: cached.problems.map(({ text: _, ...p }) => p), columns: cached.columns ?? [] };
    }
    this.kusto();
    const result = this.bind(name, body, description);
    declared();
    this.cache?.set(key, { problems: result.problems.map((p) => ({ ...p, text: body })), columns: result.columns });
    return result;
  }

  /** What the analyser says about each query, in order (no problems for clean queries). */
  analyse(queries: readonly QueryToAnalyse[], options: AnalyseOptions = {}): QueryAnalysis[] {
    this.stats.queries += queries.length;
    const whole = new Set(queries.map((q) => q.shape ?? q.text));
    const modular = whole.size > (options.wholeUpTo ?? 100) && queries.every((q) => q.parts !== undefined);
    this.stats.modular = modular;
    if (!modular) {
      this.analyseUnits(queries.map((q) => [q.shape ?? q.text, q.text] as const));
      return queries.map((q) => ({ problems: this.memory.get(q.shape ?? q.text) ?? [] }));
    }
    const unitsOf = (q: QueryToAnalyse): (readonly [string, string])[] => {
      const p = q.parts as NonNullable<QueryToAnalyse['parts']>;
      return [[p.skeleton, p.skeleton], ...p.atoms.map((a) => [`${p.source} | where ${a.shape}`, `${p.source} | where ${a.text}`] as const)];
    };
    const units = queries.map(unitsOf);
    this.analyseUnits(units.flat());
    return units.map((list) => {
      const problems: LocatedProblem[] = [];
      const seen = new Set<string>();
      for (const [shape] of list) {
        if (seen.has(shape)) continue;
        seen.add(shape);
        problems.push(...(this.memory.get(shape) ?? []));
      }
      return { problems };
    });
  }

  /** Analyses the `[shape, text]` units not known yet (in memory or in the cache), in batches. */
  private analyseUnits(units: readonly (readonly [string, string])[]): void {
    const pending = new Map<string, string>();
    for (const [shape, text] of units) {
      if (this.memory.has(shape) || pending.has(shape)) continue;
      const cached = this.cache?.get(verdictKey(['query', this.environment, shape]));
      if (cached) this.memory.set(shape, cached.problems);
      else pending.set(shape, text);
    }
    this.stats.shapes += pending.size;
    const entries = [...pending.entries()];
    for (let i = 0; i < entries.length; i += BATCH) this.analyseBatch(entries.slice(i, i + BATCH));
  }

  private remember(shape: string, problems: readonly LocatedProblem[]): void {
    this.memory.set(shape, problems);
    this.cache?.set(verdictKey(['query', this.environment, shape]), { problems });
  }

  /** Analyses `[shape, text]` pairs as one script; re-analyses one by one when it has problems. */
  private analyseBatch(batch: readonly (readonly [string, string])[]): void {
    const { globals } = this.kusto();
    if (batch.length > 1) {
      const script = batch.map(([, text]) => text).join('\n;\n');
      const code = kustoLibrary().parseAndAnalyze(script, globals);
      this.stats.analyses++;
      if (code.GetDiagnostics().Count === 0) {
        for (const [shape] of batch) this.remember(shape, []);
        return;
      }
    }
    for (const [shape, text] of batch) {
      const code = kustoLibrary().parseAndAnalyze(text, globals);
      this.stats.analyses++;
      this.remember(shape, problemsOf(code.GetDiagnostics()).map((p) => ({ ...p, text })));
    }
  }
}

function problemsOf(list: { readonly Count: number; getItem(i: number): { Code: string; Severity: string; Message: string; Start: number; Length: number } }): KustoProblem[] {
  const out: KustoProblem[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ code: d.Code, severity: d.Severity, message: d.Message, start: d.Start, length: d.Length });
  }
  return out;
}

/**
 * The values of the string literals of `query`, in source order, as Kusto.Language reads them
 * (for tests that prove escaping keeps values unchanged).
 */
export function stringLiteralValues(query: string): string[] {
  const kusto = kustoLibrary();
  const code = kusto.parseAndAnalyze(query, kusto.globals('empty', []));
  const values: string[] = [];
  code.Syntax.WalkElements((element) => {
    if (element.Kind === kusto.stringLiteralKind) values.push(String(element.LiteralValue));
  });
  return values;
}
