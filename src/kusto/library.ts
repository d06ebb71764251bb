/**
 * Loading Kusto.Language (`@kusto/language-service-next`, the analyser behind the Azure Data
 * Explorer editor and Azure-Sentinel's KQL validation) into this process. The package is a
 * Bridge.NET translation of the C# library: two scripts (`bridge.min.js`, then
 * `Kusto.Language.Bridge.min.js`) that define the globals `Bridge`, `System` and `Kusto`.
 *
 * Loading costs about 0.2 s and the first analysis another 0.5 s (the grammar is built on
 * first use), so it happens lazily, once per process, and only when a KQL target or
 * `detect validate` needs it. The typed surface below is the small part of the API we use;
 * Bridge.NET names overloaded constructors `ctor`, `$ctor1`, `$ctor2`, … (see the package's
 * `Kusto.Language.Bridge.d.ts`).
 */
import { createRequire } from 'node:module';

/** A .NET `IReadOnlyList<T>` as Bridge.NET exposes it. */
export interface NetList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

export interface KTypeSymbol {
  readonly Name: string;
  readonly Kind: number;
}

export interface KColumnSymbol {
  readonly Name: string;
  readonly Type: KTypeSymbol;
}

export interface KTableSymbol extends KTypeSymbol {
  readonly Columns: NetList<KColumnSymbol>;
}

export interface KDiagnostic {
  readonly Code: string;
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}

export interface KSyntaxElement {
  readonly Kind: number;
  /** For literal expressions: the literal's value (strings as JS strings). */
  readonly LiteralValue?: unknown;
}

export interface KSyntaxNode extends KSyntaxElement {
  WalkElements(action: (element: KSyntaxElement) => void): void;
}

export interface KCode {
  readonly ResultType: KTypeSymbol | null;
  readonly Syntax: KSyntaxNode;
  GetDiagnostics(): NetList<KDiagnostic>;
}

export type KSymbol = object;
export type KGlobals = object;

/** The parts of Kusto.Language the analyser uses. */
export interface KustoLibrary {
  /** `new TableSymbol(name, "(col:type, …)", description)`. */
  table(name: string, schema: string): KSymbol;
  /** A function without parameters whose result is `returnType` (a tabular type). */
  functionWithResult(name: string, returnType: KTypeSymbol, description: string): KSymbol;
  /** `GlobalState.Default` with one cluster holding one database with `members`. */
  globals(database: string, members: readonly KSymbol[]): KGlobals;
  parseAndAnalyze(text: string, globals: KGlobals): KCode;
  /** The syntax kind number of string literal expressions. */
  readonly stringLiteralKind: number;
}

let loaded: KustoLibrary | undefined;
let version: string | undefined;

/** The version of `@kusto/language-service-next` installed (read from its package.json, cheaply). */
export function kustoVersion(): string {
  if (version === undefined) {
    const require = createRequire(import.meta.url);
    version = (require('@kusto/language-service-next/package.json') as { version: string }).version;
  }
  return version;
}

/** Whether the library has been loaded in this process (for tests of laziness). */
export function isKustoLoaded(): boolean {
  return loaded !== undefined;
}

/** Kusto.Language, loaded on first call. */
export function kustoLibrary(): KustoLibrary {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const K = (globalThis as any).Kusto?.Language;
  if (!K) throw new Error('@kusto/language-service-next did not define the Kusto.Language global');
  const S = K.Symbols;
  loaded = {
    table: (name, schema) => new S.TableSymbol.$ctor7(name, schema, null),
    functionWithResult: (name, returnType, description) => new S.FunctionSymbol.$ctor6(name, returnType, [], description),
    globals: (database, members) => {
      const db = new S.DatabaseSymbol.ctor(database, [...members]);
      const cluster = new S.ClusterSymbol.ctor('detect', [db]);
      return K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
    },
    parseAndAnalyze: (text, globals) => K.KustoCode.ParseAndAnalyze(text, globals),
    stringLiteralKind: K.Syntax.SyntaxKind.StringLiteralExpression,
  };
  return loaded;
}
