/**
 * One diagnostic for a problem several targets share. The Elastic targets translate a condition
 * the same way, so a condition one of them cannot express is refused by each, in messages that
 * differ only in the target's name (`target esdsl cannot express …`, `target esdsl: the regular
 * expression … is … characters long`); compiling them together would print the same refusal
 * three times. Those are merged into one naming every target (`targets esdsl, kibana and lucene
 * cannot express …`), at the first one's place in the list.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

const TARGET_PREFIX = /^target ([a-z]+)(:?) /;

function joinNames(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** `diagnostics` with those that differ only in the target named at the start of the message merged. */
export function mergeSharedTargetDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const groups = new Map<string, { first: Diagnostic; targets: string[]; after: string }>();
  const out: (Diagnostic | string)[] = [];
  for (const d of diagnostics) {
    const m = TARGET_PREFIX.exec(d.message);
    if (!m) {
      out.push(d);
      continue;
    }
    const s = d.span;
    // what follows the name: `cannot express …` or `: the regular expression …`
    const after = `${m[2]} ${d.message.slice(m[0].length)}`;
    const key = JSON.stringify([d.code, d.severity, d.hint ?? null, s?.file ?? null, s?.start.offset ?? null, s?.end.offset ?? null, after]);
    const group = groups.get(key);
    if (group) {
      if (!group.targets.includes(m[1] as string)) group.targets.push(m[1] as string);
      continue;
    }
    groups.set(key, { first: d, targets: [m[1] as string], after });
    out.push(key);
  }
  return out.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const { first, targets, after } = groups.get(entry)!;
    return targets.length === 1 ? first : { ...first, message: `targets ${joinNames([...targets].sort())}${after}` };
  });
}
