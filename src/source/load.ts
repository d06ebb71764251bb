/**
 * Loading source definitions: the built-in Falco source (`falco.source.yaml`, built into JSON at
 * build time, read once and cached) and user overrides (`*.source.yaml`, same shape, replacing
 * the built-in source as a whole). Problems in a file become DET7001 diagnostics at the YAML line
 * and column they concern.
 *
 * The YAML parser is loaded only when a YAML file is parsed: a run with the built-in source
 * does not pay for loading it.
 */
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { Node } from 'yaml';
import { loadGeneratedJson } from '../build/load-generated.js';
import { MAX_INPUT_BYTES, readRegularFile } from '../io/read-file.js';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic, Position, Span } from '../diagnostics/diagnostic.js';
import { buildSource, deepFreeze } from './build.js';
import { checkSourceFile, type SourceIssue } from './check.js';
import { validateSourceFile, type SourceFile } from './schema.js';
import type { SourceDefinition } from './types.js';

/**
 * Where the built-in source lives, relative to this module. The same relative path works from
 * `src/source/load.ts` (vitest, tsx) and from `dist/source/load.js` (after `tsc`), because the
 * package ships `src/source/falco.source.yaml` next to `dist/` (package.json `files`).
 */
export const BUILTIN_SOURCE_URL = new URL('../../src/source/falco.source.yaml', import.meta.url);

/** The generated JSON of the built-in source (see `build/generated.ts`). */
export const BUILTIN_SOURCE_JSON = 'falco.source.json';

let builtin: SourceDefinition | undefined;

/**
 * The built-in Falco source, deep-frozen; read on first use, then cached. It is the definition
 * built from `falco.source.yaml` at build time (parsed, checked against the schema and the
 * checks, built), stored as JSON; a test keeps the two identical.
 */
export function builtinSource(): SourceDefinition {
  builtin ??= deepFreeze(loadGeneratedJson(BUILTIN_SOURCE_JSON) as SourceDefinition);
  return builtin;
}

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;

/** The `yaml` package, loaded on first use (its CommonJS build, so synchronously). */
function yaml(): Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yamlModule;
}

/**
 * Reads a user's `*.source.yaml`. Returns the definition when the file is valid, and every
 * problem found (DET7001 with line, column and hint; DET6005 when the file cannot be read).
 */
export function loadSourceFile(path: string): { source?: SourceDefinition; diagnostics: Diagnostic[] } {
  const read = readRegularFile(path);
  if (!('bytes' in read)) {
    return {
      diagnostics: [
        {
          code: Codes.ReadFailed.code,
          severity: Codes.ReadFailed.severity,
          message: `cannot read source definition: ${read.problem}`,
          span: pointSpan(path),
          hint: `check the path given for the source definition and that it is a readable regular file (up to ${MAX_INPUT_BYTES} bytes)`,
        },
      ],
    };
  }
  const bytes = read.bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostics: [invalid('source definition is not valid UTF-8', pointSpan(path), 'save the file as UTF-8')] };
  }
  return parseSource(text, path);
}

/**
 * Parses, validates and builds a source definition from YAML text; `file` names it in spans.
 * `source` is present only when there are no diagnostics.
 */
export function parseSource(text: string, file: string): { source?: SourceDefinition; diagnostics: Diagnostic[] } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { offset, line, column: col };
  };
  const clamp = (offset: number): number => Math.max(0, Math.min(offset, text.length));
  const span = (start: number, end: number): Span => ({ file, start: at(clamp(start)), end: at(clamp(Math.max(start, end))) });

  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) =>
        invalid(`YAML syntax: ${e.message}`, span(e.pos[0], e.pos[1]), 'fix the YAML syntax at this place'),
      ),
    };
  }

  const aliases = aliasProblems(doc, span);
  if (aliases.length > 0) return { diagnostics: aliases };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library throws (a ReferenceError) for an alias that expands too much.
    const first = firstAlias(doc);
    const where = first?.range ? span(first.range[0], first.range[1]) : span(0, 0);
    const message = e instanceof Error ? e.message : String(e);
    return { diagnostics: [invalid(`YAML aliases: ${message}`, where, `write the values out instead of expanding aliases (at most ${MAX_ALIAS_COUNT} alias uses)`)] };
  }
  const spanOf = (path: readonly (string | number)[], onKey = false): Span => {
    const range = rangeAt(doc.contents, path, onKey) ?? [0, text.length];
    return span(range[0], range[1]);
  };

  const schemaErrors = validateSourceFile(data);
  if (schemaErrors.length > 0) {
    return { diagnostics: schemaDiagnostics(schemaErrors).map((i) => invalid(i.message, spanOf(i.path, i.onKey), i.hint)) };
  }
  const issues = checkSourceFile(data as SourceFile);
  if (issues.length > 0) {
    return { diagnostics: issues.map((i) => invalid(i.message, spanOf(i.path, i.onKey), i.hint)) };
  }
  return { source: buildSource(data as SourceFile), diagnostics: [] };
}

/** How many times an alias may be expanded (the yaml library's guard against "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

type YamlDocument = ReturnType<Yaml['parseDocument']>;
type YamlAlias = import('yaml').Alias;

/** The aliases of `doc`, in document order. */
function aliasesOf(doc: YamlDocument): YamlAlias[] {
  const out: YamlAlias[] = [];
  yaml().visit(doc, { Alias: (_key, node) => void out.push(node) });
  return out;
}

function firstAlias(doc: YamlDocument): YamlAlias | undefined {
  return aliasesOf(doc)[0];
}

/** DET7001 at every alias (`*name`) with no anchor (`&name`) before it. */
function aliasProblems(doc: YamlDocument, span: (start: number, end: number) => Span): Diagnostic[] {
  return aliasesOf(doc)
    .filter((a) => a.resolve(doc) === undefined)
    .map((a) =>
      invalid(
        `YAML alias \`*${a.source}\` refers to no anchor \`&${a.source}\` before it`,
        a.range ? span(a.range[0], a.range[1]) : span(0, 0),
        'define the anchor before the alias, or write the value out',
      ),
    );
}

function invalid(message: string, span: Span, hint: string): Diagnostic {
  return { code: Codes.InvalidSource.code, severity: Codes.InvalidSource.severity, message, span, hint };
}

function pointSpan(file: string): Span {
  const start: Position = { offset: 0, line: 1, column: 1 };
  return { file, start, end: start };
}

/** The source range of the node at `path` (of its key when `onKey`), or of the deepest ancestor found. */
function rangeAt(root: unknown, path: readonly (string | number)[], onKey: boolean): [number, number] | undefined {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  let node: unknown = root;
  let best = nodeRange(root);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      next = last && onKey ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
    } else break;
    const range = nodeRange(next);
    if (!range) break;
    node = next;
    best = range;
  }
  return best;
}

function nodeRange(node: unknown): [number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** ajv errors as issues with readable messages and hints; `if` wrappers are dropped. */
function schemaDiagnostics(errors: readonly ErrorObject[]): SourceIssue[] {
  const issues: SourceIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const issue = describeSchemaError(e);
    const key = `${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function pointer(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function where(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the file';
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

const PATTERN_HINTS: Readonly<Record<string, string>> = {
  name: 'a Falco field name: dotted identifier parts with an optional [argument] suffix, e.g. proc.cmdline or proc.aname[2]',
  column: 'a Sentinel column name in PascalCase: letters and digits starting with an upper-case letter, e.g. ProcessCommandLine',
  path: 'a document field path, e.g. process.command_line or output_fields.proc.cmdline',
  timestampField: 'a document field path, e.g. @timestamp',
  functionName: 'a KQL function name: letters, digits and underscores, not starting with a digit',
  keyword: 'a sub-field name such as keyword',
  defaultProfile: 'a profile name: lower-case letters, digits and dashes',
  sourceName: 'a source name: lower-case letters, digits, dashes and underscores, e.g. falco',
};

function describeSchemaError(e: ErrorObject): SourceIssue {
  const path = pointer(e.instancePath);
  const here = where(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        path,
        message: `${here}: missing required property "${String(params.missingProperty)}"`,
        hint: `add \`${String(params.missingProperty)}: …\``,
      };
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        path: [...path, String(params.additionalProperty)],
        onKey: true,
        message: `${here}: unknown property "${String(params.additionalProperty)}"`,
        hint: allowed.length > 0 ? `remove it or fix its spelling; allowed here: ${allowed.join(', ')}` : 'remove it',
      };
    }
    case 'enum':
      return {
        path,
        message: `${here}: ${JSON.stringify(e.data)} is not allowed`,
        hint: `use one of: ${(params.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`,
      };
    case 'type':
      return { path, message: `${here}: must be ${describeType(String(params.type))}`, hint: `write ${describeType(String(params.type))} here` };
    case 'pattern': {
      if (e.propertyName !== undefined) {
        return {
          path: [...path, e.propertyName],
          onKey: true,
          message: `${here}: "${e.propertyName}" is not a valid name here`,
          hint: 'profile names are lower-case letters, digits and dashes (e.g. elastic-agent)',
        };
      }
      const last = path.length === 1 && path[0] === 'name' ? 'sourceName' : path[path.length - 1];
      return {
        path,
        message: `${here}: ${JSON.stringify(e.data)} is not valid`,
        hint: `write ${(typeof last === 'string' && PATTERN_HINTS[last]) || `a value matching ${String(params.pattern)}`}`,
      };
    }
    case 'minItems':
    case 'minProperties':
      return { path, message: `${here}: must not be empty`, hint: 'add at least one entry' };
    case 'minLength':
      return { path, message: `${here}: must not be an empty string`, hint: 'write a value, or remove the property if it is optional' };
    case 'uniqueItems':
      return { path, message: `${here}: lists the same item twice`, hint: 'remove the duplicate' };
    case 'const':
      return { path, message: `${here}: must be false or a mapping`, hint: 'write `false` or `{path: …, type: …}`' };
    case 'propertyNames':
      return {
        path: e.propertyName !== undefined ? [...path, e.propertyName] : path,
        onKey: e.propertyName !== undefined,
        message: `${here}: invalid name${e.propertyName !== undefined ? ` "${e.propertyName}"` : ''}`,
        hint: 'rename the key',
      };
    default:
      return { path, message: `${here}: ${e.message ?? 'invalid value'}`, hint: 'see the shape described at the top of falco.source.yaml' };
  }
}

function describeType(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping (key: value lines)';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    default:
      return `a ${type}`;
  }
}
