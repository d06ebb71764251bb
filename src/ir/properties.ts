/**
 * Detection metadata: the generic `key: value` properties (title, id, severity, tags, …) read
 * into typed values, with DET2003/DET2004/DET2005 for missing or ill-typed ones. Readers return
 * `undefined` after reporting a problem.
 */
import { Codes } from '../diagnostics/codes.js';
import { suggest } from '../diagnostics/suggest.js';
import type { DetectionDecl, Property, Value } from '../syntax/ast.js';
import { EXAMPLE_CODE } from '../syntax/members.js';
import type { Reporter } from './report.js';
import type { SeverityLevel } from './types.js';
import { describeValue, itemsOf, reportInexactNumber } from './values.js';

/** Properties written `key: value`, in the order the README documents them. */
export const PROPERTY_KEYS = [
  'title',
  'id',
  'version',
  'description',
  'severity',
  'author',
  'tags',
  'references',
  'false_positives',
  'triage',
  'response',
  'output',
] as const;

/** Blocks written `key { … }`. */
export const MAP_BLOCK_KEYS = ['attack', 'entities'] as const;

/** Required properties, with an example shown in the hint when one is missing. */
export const REQUIRED: readonly { key: string; example: string }[] = [
  { key: 'title', example: EXAMPLE_CODE.title },
  { key: 'id', example: 'id: "<a new UUID, e.g. from `uuidgen`>"' },
  { key: 'description', example: EXAMPLE_CODE.description },
  { key: 'severity', example: EXAMPLE_CODE.severity },
];

export const SEVERITIES: readonly SeverityLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];

export interface Metadata {
  readonly title: string;
  readonly id: string;
  readonly description: string;
  readonly version: number;
  readonly severity: SeverityLevel;
  readonly author: readonly string[];
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  readonly triage: string;
  readonly response: string;
}

/**
 * Reads the metadata properties of `decl` (`props`: first occurrence of each key). Missing
 * required properties are reported at the detection's name. Values after an error are
 * placeholders; the caller drops the detection when any error was reported.
 */
export function lowerMetadata(decl: DetectionDecl, props: ReadonlyMap<string, Property>, reporter: Reporter): Metadata {
  for (const { key, example } of REQUIRED) {
    if (!props.has(key)) {
      reporter.report(
        Codes.MissingProperty,
        decl.name.span,
        `detection \`${decl.name.name}\` has no \`${key}\``,
        `add \`${example}\``,
      );
    }
  }
  const str = (key: string): string => {
    const p = props.get(key);
    return p === undefined ? '' : (readString(p, reporter, true) ?? '');
  };
  const list = (key: string): readonly string[] => {
    const p = props.get(key);
    return p === undefined ? [] : (readStringList(p, reporter) ?? []);
  };
  const version = props.get('version');
  const severity = props.get('severity');
  const references = props.get('references');
  const triage = props.get('triage');
  const response = props.get('response');
  return {
    title: str('title'),
    id: str('id'),
    description: str('description'),
    version: version === undefined ? 1 : (readVersion(version, reporter) ?? 1),
    severity: severity === undefined ? 'medium' : (readSeverity(severity, reporter) ?? 'medium'),
    author: list('author'),
    tags: list('tags'),
    references: references === undefined ? [] : (readReferences(references, reporter) ?? []),
    falsePositives: list('false_positives'),
    triage: triage === undefined ? '' : (readString(triage, reporter, false) ?? ''),
    response: response === undefined ? '' : (readString(response, reporter, false) ?? ''),
  };
}

/** A string property; with `nonEmpty`, blank strings are an error too. */
export function readString(p: Property, reporter: Reporter, nonEmpty: boolean): string | undefined {
  const v = p.value;
  if (v.kind !== 'String') {
    reporter.report(
      Codes.InvalidValue,
      v.span,
      `\`${p.key.name}\` must be a string, not ${describeValue(v)}`,
      quoteHint(v),
    );
    return undefined;
  }
  if (nonEmpty && v.value.trim() === '') {
    reporter.report(Codes.InvalidValue, v.span, `\`${p.key.name}\` must not be empty`, `write the ${p.key.name} between the quotes`);
    return undefined;
  }
  return v.value;
}

/** A string, or a list of strings (`tags: "a", "b"` or `tags: ["a", "b"]`). */
export function readStringList(p: Property, reporter: Reporter): string[] | undefined {
  const out: string[] = [];
  let ok = true;
  for (const item of itemsOf(p.value)) {
    if (item.kind === 'String' && item.value.trim() !== '') {
      out.push(item.value);
      continue;
    }
    ok = false;
    reporter.report(
      Codes.InvalidValue,
      item.span,
      item.kind === 'String'
        ? `\`${p.key.name}\` must not hold an empty string`
        : `\`${p.key.name}\` must hold strings, not ${describeValue(item)}`,
      item.kind === 'String' ? 'remove the empty string' : quoteHint(item),
    );
  }
  return ok ? out : undefined;
}

function readVersion(p: Property, reporter: Reporter): number | undefined {
  const v = p.value;
  if (reportInexactNumber(v, reporter)) return undefined;
  if (v.kind === 'Number' && Number.isInteger(v.value) && v.value >= 1) return v.value;
  reporter.report(
    Codes.InvalidValue,
    v.span,
    `\`version\` must be a whole number of at least 1, not ${v.kind === 'Number' ? v.value : describeValue(v)}`,
    'write e.g. `version: 2`, and raise it whenever the detection logic changes',
  );
  return undefined;
}

function readSeverity(p: Property, reporter: Reporter): SeverityLevel | undefined {
  const v = p.value;
  const word = v.kind === 'IdentifierValue' ? v.name : v.kind === 'String' ? v.value : undefined;
  if (word !== undefined && (SEVERITIES as readonly string[]).includes(word)) return word as SeverityLevel;
  const close = word === undefined ? undefined : suggest(word, SEVERITIES);
  const falco = word !== undefined && close === undefined && FALCO_PRIORITIES.has(word.toLowerCase());
  reporter.report(
    Codes.InvalidSeverity,
    v.span,
    word === undefined ? `\`severity\` must be a severity level, not ${describeValue(v)}` : `unknown severity \`${word}\``,
    close !== undefined
      ? `did you mean \`${close}\`?`
      : `${falco ? `\`${word}\` is a Falco priority, not a severity: ` : ''}use one of: ${SEVERITIES.join(', ')}`,
  );
  return undefined;
}

/** Falco's rule priorities that are not severities here (`critical` and `informational` are both). */
const FALCO_PRIORITIES = new Set(['emergency', 'alert', 'error', 'warning', 'notice', 'info', 'debug']);

function readReferences(p: Property, reporter: Reporter): string[] | undefined {
  const list = readStringList(p, reporter);
  if (list === undefined) return undefined;
  let ok = true;
  itemsOf(p.value).forEach((item, i) => {
    const url = list[i]!;
    if (!isHttpUrl(url)) {
      ok = false;
      reporter.report(
        Codes.InvalidValue,
        item.span,
        `reference ${JSON.stringify(url)} is not an http(s) URL`,
        'write the full address, e.g. "https://attack.mitre.org/techniques/T1059/"',
      );
    }
  });
  return ok ? list : undefined;
}

function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\/\S+$/.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** A hint for a value of the wrong kind where a string is wanted. */
export function quoteHint(v: Value): string {
  switch (v.kind) {
    case 'IdentifierValue':
      return `put it in quotes: ${JSON.stringify(v.name)}`;
    case 'Duration':
      return `put it in quotes: "${v.text}"`;
    case 'Number':
    case 'Boolean':
      return `put it in quotes: "${v.value}"`;
    default:
      return 'write a string in double quotes';
  }
}
