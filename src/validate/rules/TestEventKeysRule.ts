/**
 * TestEventKeysRule — DET4008 (warning): a test event lacks a field the detection reads, but
 * holds it under a near spelling (`proc.nmae` for `proc.name`, `Rule` for `rule`) or in the
 * wrong place (`proc.name` at the top level, Falcosidekick's flattened shape, where Falco writes
 * it under `output_fields`). The evaluator reads the field as missing, so the test checks
 * something else than its author meant: a `does not match` test passes whatever the condition
 * says. Only the fields the detection reads (its conditions and `by` keys) are looked for, and a
 * near spelling only among keys the source does not declare. A near spelling is the same
 * letters in another case or with two neighbours swapped (`Rule`, `proc.nmae`): Falco's own
 * fields differ from one another by a letter (`proc.pid`, `proc.vpid`, `proc.sid`;
 * `container.id`, `container.ip`), so a real alert pasted as it is is not reported for
 * holding them.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { eventNames } from '../../eval/explain.js';
import { diagnostic } from '../../ir/report.js';
import { leavesOf, matchConditions, type Detection, type JsonObject, type TestCase } from '../../ir/types.js';
import type { SourceDefinition, SourceField } from '../../source/types.js';
import type { RuleContext } from '../context.js';

/** Where a field's key sits: the alert itself or its `output_fields`. */
type Place = 'alert' | 'output_fields';

/** Names of the fields `detection` reads: those its conditions compare or test, and its `by` keys. */
function fieldsRead(detection: Detection): Set<string> {
  const match = detection.match;
  const names = new Set(leavesOf(matchConditions(match)).map((c) => c.field.name));
  if (match.kind !== 'filter') for (const f of match.by) names.add(f.name);
  return names;
}

/** Whether `written` is `meant` in another case, or with two neighbouring characters swapped. */
export function nearSpelling(written: string, meant: string): boolean {
  if (written.length !== meant.length || written === meant) return false;
  const a = written.toLowerCase();
  const b = meant.toLowerCase();
  if (a === b) return true;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The keys each place declares (the source's fields there, and the cluster's custom field). */
function declaredKeys(source: SourceDefinition): Record<Place, Set<string>> {
  const keys: Record<Place, Set<string>> = { alert: new Set(['output_fields']), output_fields: new Set() };
  for (const f of source.fields) if (f.location.in !== 'derived') keys[f.location.in].add(f.location.key);
  if (source.cluster.customField !== undefined) keys.output_fields.add(source.cluster.customField);
  return keys;
}

/** What an event does wrong with one field: where it put the field instead. */
interface Finding {
  readonly field: SourceField;
  /** The key the event holds instead, and where. */
  readonly key: string;
  readonly place: Place;
}

function findingText(f: Finding): string {
  const where = f.place === 'alert' ? 'at the top level' : 'in `output_fields`';
  return `\`${f.key}\` ${where}`;
}

/** Whether `object` has `key` as its own key (`constructor` is no key of `{}`), with a value. */
function holds(object: JsonObject | undefined, key: string): boolean {
  return object !== undefined && Object.hasOwn(object, key) && object[key] !== undefined;
}

/** Events of `test` lacking a field `detection` reads that they hold misspelt or misplaced. */
function checkTest(detection: Detection, test: TestCase, read: readonly SourceField[], declared: Record<Place, Set<string>>): Diagnostic[] {
  const found = new Map<string, { finding: Finding; events: number[] }>();
  test.events.forEach((event, i) => {
    const containers: Record<Place, JsonObject | undefined> = { alert: event, output_fields: isObject(event.output_fields) ? event.output_fields : undefined };
    // the keys of each place the source does not declare, found when first needed
    const undeclared: Partial<Record<Place, string[]>> = {};
    const undeclaredIn = (place: Place): string[] => (undeclared[place] ??= Object.keys(containers[place] ?? {}).filter((k) => !declared[place].has(k)));
    for (const field of read) {
      if (field.location.in === 'derived') continue;
      const { in: place, key } = field.location;
      if (holds(containers[place], key)) continue;
      const other: Place = place === 'alert' ? 'output_fields' : 'alert';
      let finding: Finding | undefined;
      if (holds(containers[other], key) && !declared[other].has(key)) finding = { field, key, place: other };
      else {
        const keys = undeclaredIn(place);
        const near = keys.find((k) => nearSpelling(k, key));
        if (near !== undefined) finding = { field, key: near, place };
      }
      if (!finding) continue;
      const id = `${field.name}\u0000${finding.place}\u0000${finding.key}`;
      const entry = found.get(id) ?? { finding, events: [] };
      entry.events.push(i);
      found.set(id, entry);
    }
  });
  const names = eventNames(test.lines);
  return [...found.values()].map(({ finding, events }) => {
    const { field } = finding;
    const every = events.length === test.events.length && events.length > 1;
    const which = every ? 'every event' : events.slice(0, 5).map(names.one).join(', ') + (events.length > 5 ? `, … (${events.length})` : '');
    const expected = field.location.in === 'alert' ? `\`${field.name}\` at the top level` : `\`${(field.location as { key: string }).key}\` in \`output_fields\``;
    return diagnostic(
      Codes.MisplacedTestEventKey,
      test.span,
      `${which} of test "${test.name}" ${events.length === 1 || every ? 'has' : 'have'} no \`${field.name}\`, which ${detection.name} reads, but ${findingText(finding)}: the evaluator reads \`${field.name}\` as missing`,
      `a Falco alert has ${expected}; rename or move the key${finding.place === 'alert' && field.location.in === 'output_fields' ? ' (Falcosidekick\'s flattened keys are not Falco\'s JSON)' : ''}`,
    );
  });
}

/** Test events holding a field the detection reads under a near spelling or in the wrong place. */
export function TestEventKeysRule(ctx: RuleContext): Diagnostic[] {
  const declared = declaredKeys(ctx.source);
  const byName = new Map(ctx.source.fields.map((f) => [f.name, f]));
  const out: Diagnostic[] = [];
  for (const detection of ctx.program.detections) {
    if (detection.tests.length === 0) continue;
    const read = [...fieldsRead(detection)].sort().flatMap((n) => byName.get(n) ?? []);
    for (const test of detection.tests) out.push(...checkTest(detection, test, read, declared));
  }
  return out;
}
