/**
 * Test cases: `test "name" matches|does not match <events>`. Inline JSON (one object, or an
 * array of objects) or an NDJSON file relative to the `.det` file's directory, read through the
 * caller's `readFile`. Problems: DET4002 (file missing or unreadable), DET4003 (a line that is not JSON),
 * DET4004 (an event that is not a JSON object), DET2008 (two tests with one name). At most
 * `MAX_LINE_PROBLEMS` bad lines of a file are reported, then one DET4003 counts the rest.
 */
import path from 'node:path';
import { Codes, type CodeInfo } from '../diagnostics/codes.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { FileNode, TestDecl } from '../syntax/ast.js';
import { LineIndex } from '../syntax/positions.js';
import { MAX_NESTING } from '../syntax/tokens.js';
import { frozenJsonCopy } from './freeze.js';
import { jsonErrorOffset } from './json-error-offset.js';
import { irSpan, where, type Reporter } from './report.js';
import type { JsonObject, TestCase } from './types.js';

/**
 * Reads a file by absolute path: its text, `undefined` when it does not exist, or what is wrong
 * with it (a folder, not a regular file, too large, unreadable) in a few words.
 */
export type ReadFile = (absPath: string) => string | { readonly problem: string; readonly hint?: string } | undefined;

/**
 * Lowers the tests of one detection; tests with errors are left out (after reporting them). An
 * events file read by several of its tests is checked once: a bad line is one diagnostic naming
 * every test that reads the file (as its origin, the first of them).
 */
export function lowerTests(tests: readonly TestDecl[], file: FileNode, readFile: ReadFile, reporter: Reporter): TestCase[] {
  const kept: TestDecl[] = [];
  const seen = new Map<string, TestDecl>();
  for (const t of tests) {
    const first = seen.get(t.name.value);
    if (first !== undefined) {
      reporter.report(
        Codes.DuplicateName,
        t.name.span,
        `test ${JSON.stringify(t.name.value)} is already defined at ${where(first.name.span)}`,
        'give every test of a detection its own name',
      );
      continue;
    }
    seen.set(t.name.value, t);
    kept.push(t);
  }
  // Each events file once: where it is, and which tests read it.
  const located = new Map<TestDecl, EventsPath>();
  const readers = new Map<string, Reader[]>();
  for (const t of kept) {
    if (t.events.kind !== 'FileEvents') continue;
    const p = eventsPath(t.events.path.value, file);
    located.set(t, p);
    readers.set(p.absolute, [...(readers.get(p.absolute) ?? []), { name: t.name.value, span: t.events.path.span }]);
  }
  const checked = new Map<string, Events | undefined>();
  const out: TestCase[] = [];
  for (const t of kept) {
    const p = located.get(t);
    let lowered: Events | undefined;
    if (p === undefined) lowered = inlineEvents(t, reporter);
    else if (checked.has(p.absolute)) lowered = checked.get(p.absolute);
    else {
      const read = fileEvents(t, file, p, readers.get(p.absolute)!, readFile, reporter);
      if (read.checked) checked.set(p.absolute, read.events);
      lowered = read.events;
    }
    if (lowered === undefined) continue;
    out.push({
      name: t.name.value,
      expect: t.expect,
      events: lowered.events,
      ...(lowered.file === undefined ? {} : { file: lowered.file }),
      ...(lowered.lines === undefined ? {} : { lines: lowered.lines }),
      span: irSpan(t.span),
    });
  }
  return out;
}

/** Where a test's events file is: as shown (relative to the working folder, `/`-separated) and absolute. */
interface EventsPath {
  readonly display: string;
  readonly absolute: string;
}

/** A test reading an events file: its name and its `file "…"` string. */
interface Reader {
  readonly name: string;
  readonly span: Span;
}

/** The events file `written` in a test of `file`: relative to the `.det` file's folder unless absolute. */
function eventsPath(written: string, file: FileNode): EventsPath {
  const joined = path.isAbsolute(written) ? written : path.join(path.dirname(file.path), written);
  return { display: joined.split(path.sep).join('/'), absolute: path.resolve(joined) };
}

/** `test "a" at x.det:3:20`, or `tests "a" at x.det:3:20, "b" at x.det:4:20`. */
function readBy(readers: readonly Reader[]): string {
  const each = readers.map((r) => `"${r.name}" at ${where(r.span)}`);
  return `read by test${readers.length === 1 ? '' : 's'} ${each.join(', ')}`;
}

/** Invalid lines reported one by one per events file; the rest are counted in one summary. */
export const MAX_LINE_PROBLEMS = 5;

/** Longest parser message quoted (it may quote the line). */
const MAX_QUOTED = 200;

function capped(message: string): string {
  const chars = Array.from(message); // code points: never half of a surrogate pair
  return chars.length <= MAX_QUOTED ? message : `${chars.slice(0, MAX_QUOTED).join('')}…`;
}

interface Events {
  readonly events: JsonObject[];
  /** For events from a file: the file as shown, and the line of each event. */
  readonly file?: string;
  readonly lines?: number[];
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function inlineEvents(t: TestDecl, reporter: Reporter): Events | undefined {
  if (t.events.kind !== 'JsonEvents') return undefined;
  const { value, span } = t.events;
  if (isObject(value)) return { events: [frozenJsonCopy(value)] };
  if (!Array.isArray(value)) {
    reporter.report(
      Codes.TestEventInvalid,
      span,
      `test ${JSON.stringify(t.name.value)}: an event must be a JSON object, not ${kindOf(value)}`,
      'write one event as `{ … }`, or several as `[ { … }, { … } ]`',
    );
    return undefined;
  }
  if (value.length === 0) {
    reporter.report(
      Codes.TestEventInvalid,
      span,
      `test ${JSON.stringify(t.name.value)} has no events`,
      'add at least one event: `[ { "rule": "…" } ]`',
    );
    return undefined;
  }
  let ok = true;
  value.forEach((e, i) => {
    if (!isObject(e)) {
      ok = false;
      reporter.report(
        Codes.TestEventInvalid,
        span,
        `test ${JSON.stringify(t.name.value)}: event ${i + 1} is ${kindOf(e)}, not a JSON object`,
        'every element of the events array must be a Falco alert as a JSON object `{ … }`',
      );
    }
  });
  return ok ? { events: value.map((e) => frozenJsonCopy(e as JsonObject)) } : undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first lone surrogate (as 4 hex digits) in a string or key of a parsed JSON value. Walked
 * with a stack, not by recursion: `JSON.parse` accepts nesting far deeper than the call stack.
 */
function loneSurrogate(value: unknown): string | undefined {
  const inText = (t: string): string | undefined => {
    const m = LONE_SURROGATE.exec(t);
    return m ? m[0].charCodeAt(0).toString(16) : undefined;
  };
  // Iterative: a line of an events file may nest deeper than the stack allows (it is checked
  // against MAX_NESTING first, but this walk must not depend on that).
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      const found = inText(v);
      if (found !== undefined) return found;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        pending.push(x, k);
      }
    }
  }
  return undefined;
}

/**
 * Whether a parsed JSON value nests arrays and objects more than `limit` levels deep (walked
 * without recursion). Inline events are bounded by the parser (`MAX_NESTING`, DET1012); a line
 * of an events file is held to the same bound, as everything that reads events (freezing, the
 * evaluator, the IR writer) recurses into them.
 */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) pending.push([x, depth + 1]);
  }
  return false;
}

/**
 * The events of a test's file `p`. A file that is missing or cannot be read is reported at the
 * test's `file "…"`; one that was read is `checked`: its lines were checked (bad ones reported,
 * naming the `readers`), and the outcome holds for every test that reads it.
 */
function fileEvents(
  t: TestDecl,
  file: FileNode,
  p: EventsPath,
  readers: readonly Reader[],
  readFile: ReadFile,
  reporter: Reporter,
): { checked: boolean; events?: Events } {
  if (t.events.kind !== 'FileEvents') return { checked: false };
  const pathSpan = t.events.path.span;
  const display = p.display;
  const text = readFile(p.absolute);
  if (typeof text === 'object') {
    reporter.report(
      Codes.TestFileMissing,
      pathSpan,
      `test events file \`${display}\` cannot be read: ${text.problem}`,
      text.hint ?? 'give a readable regular file of one JSON event per line (the size limit is in the message when it is exceeded)',
    );
    return { checked: false };
  }
  if (text === undefined) {
    reporter.report(
      Codes.TestFileMissing,
      pathSpan,
      `test events file \`${display}\` not found`,
      `the path is relative to the directory of ${file.path}; check its spelling, or create the file (one JSON event per line)`,
    );
    return { checked: false };
  }
  const events = checkEvents(text, display, readBy(readers), pathSpan, reporter);
  return events === undefined ? { checked: true } : { checked: true, events };
}

/** The lines of an events file as events, each bad line reported in the file (see `fileEvents`). */
function checkEvents(text: string, display: string, reader: string, pathSpan: Span, reporter: Reporter): Events | undefined {
  const events: JsonObject[] = [];
  const lines: number[] = [];
  let ok = true;
  let invalid = 0;
  // A bad line is reported in the events file itself (its line and column, with a code frame
  // when the file's text is among the run's sources), naming the tests that read it.
  const index = new LineIndex(display, text);
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = 0;
  let firstUnlisted: Span | undefined;
  const bad = (code: CodeInfo, message: string, hint: string, at?: number): void => {
    ok = false;
    const span = at === undefined ? index.span(start, end) : index.span(at, Math.min(at + 1, end));
    if (++invalid <= MAX_LINE_PROBLEMS) reporter.report(code, span, `${message} (${reader})`, hint, pathSpan);
    else firstUnlisted ??= span;
  };
  const breaks = /\r?\n/g;
  for (;;) {
    breaks.lastIndex = start;
    const lineBreak = breaks.exec(text);
    end = lineBreak ? lineBreak.index : text.length;
    checkLine(text.slice(start, end), index.line(start) - 1);
    if (!lineBreak) break;
    start = lineBreak.index + lineBreak[0].length;
  }
  function checkLine(line: string, i: number): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const message = (e as Error).message;
      // V8 gives the position of most errors; for the others (`Unexpected token …`) it is found here.
      const given = /at position (\d+)/.exec(message);
      const position = given ? Number(given[1]) : jsonErrorOffset(line);
      const at = position !== undefined ? start + Math.min(position, line.length) : undefined;
      // A lone CR is a line break to editors (and to the line numbers here), not to NDJSON:
      // name the line the error is on, and say why two lines read as one.
      const loneCr = /\r(?!\n)/.test(line);
      bad(
        Codes.TestFileInvalid,
        `\`${display}\` line ${at !== undefined ? index.line(at) : i + 1} is not valid JSON: ${capped(message)}`,
        loneCr
          ? 'an NDJSON file holds one complete JSON object per line, and its lines end with LF (or CR LF): this one is joined to the next by a lone CR'
          : 'an NDJSON file holds one complete JSON object per line',
        at,
      );
      return;
    }
    if (nestsDeeperThan(value, MAX_NESTING)) {
      bad(
        Codes.TestFileInvalid,
        `\`${display}\` line ${i + 1} nests arrays and objects deeper than ${MAX_NESTING} levels`,
        `a Falco alert nests a few levels; as in inline events, at most ${MAX_NESTING} are accepted`,
      );
      return;
    }
    const lone = loneSurrogate(value);
    if (lone !== undefined) {
      bad(
        Codes.TestFileInvalid,
        `\`${display}\` line ${i + 1} holds the lone surrogate \\u${lone} in a string`,
        'a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape, the two making one character; a lone surrogate is no character, and no UTF-8 text (no Falco alert) can hold it',
      );
      return;
    }
    if (!isObject(value)) {
      bad(
        Codes.TestEventInvalid,
        `\`${display}\` line ${i + 1} is ${kindOf(value)}, not a JSON object`,
        'each line must be one Falco alert as a JSON object `{ … }`',
      );
      return;
    }
    events.push(value);
    lines.push(i + 1);
  }
  if (invalid > MAX_LINE_PROBLEMS) {
    const more = invalid - MAX_LINE_PROBLEMS;
    reporter.report(
      Codes.TestFileInvalid,
      firstUnlisted ?? pathSpan,
      `\`${display}\`: … and ${more} more invalid line${more === 1 ? '' : 's'} from here (${invalid} in all; the first ${MAX_LINE_PROBLEMS} are listed; ${reader})`,
      'is this the right file? an NDJSON file holds one JSON object per line',
      firstUnlisted ? pathSpan : undefined,
    );
  }
  if (ok && events.length === 0) {
    ok = false;
    reporter.report(
      Codes.TestFileInvalid,
      pathSpan,
      `\`${display}\` holds no events`,
      'add one JSON event per line',
    );
  }
  return ok ? { events, file: display, lines } : undefined;
}
