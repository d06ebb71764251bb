/**
 * What changed in a detection's compiled query between the base and the working tree, for the
 * gate's messages: which parts of the query-bearing IR differ (condition, correlation, schedule,
 * suppression, output, entities), and which lists and macros the detection uses, directly or
 * through one another, are defined differently on the two sides (a change to a shared list
 * changes every detection using it, whose own text did not change).
 */
import type { Detection } from '../ir/types.js';
import { stripSpans, type DetectionDecl, type FileNode, type ListDecl, type MacroDecl } from '../syntax/ast.js';

/** The query-bearing parts of a detection, each as a canonical string (spans left out). */
export function queryParts(d: Detection): ReadonlyMap<string, string> {
  const json = (value: unknown): string => JSON.stringify(value ?? null, (key, v: unknown) => (key === 'span' ? undefined : v));
  const m = d.match;
  const parts = new Map<string, string>();
  if (m.kind === 'sequence') {
    parts.set('its steps', json(m.steps));
    parts.set('its sequence settings', json({ by: m.by, window: m.window }));
  } else {
    parts.set('its condition', json(m.condition));
    if (m.kind === 'threshold') parts.set('its threshold', json({ by: m.by, window: m.window, count: m.count }));
  }
  parts.set('its kind', json(m.kind));
  parts.set('its schedule', json(d.schedule));
  parts.set('its suppression', json(d.suppression));
  // Entities are part of it: the KQL query projects their columns, in their order.
  parts.set('its output fields', json(d.output));
  parts.set('its entities', json(d.entities));
  return parts;
}

/** The parts that differ, named as in `queryParts`. */
export function changedParts(before: Detection, after: Detection): string[] {
  const a = queryParts(before);
  const b = queryParts(after);
  return [...b.keys()].filter((k) => a.get(k) !== b.get(k));
}

type Definition = ListDecl | MacroDecl;

/** The lists and macros of `files`, by name (the first definition of a name). */
export function definitionsOf(files: readonly FileNode[]): Map<string, Definition> {
  const out = new Map<string, Definition>();
  for (const f of files) {
    for (const b of f.blocks) if (b.kind !== 'Detection' && !out.has(b.name.name)) out.set(b.name.name, b);
  }
  return out;
}

/** Every name an identifier in `node` spells (fields, lists, macros alike). */
function namesIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) namesIn(n, out);
  } else if (node !== null && typeof node === 'object') {
    const o = node as { kind?: unknown; name?: unknown };
    if ((o.kind === 'Identifier' || o.kind === 'IdentifierValue') && typeof o.name === 'string') out.add(o.name);
    for (const [k, v] of Object.entries(node)) if (k !== 'span') namesIn(v, out);
  }
  return out;
}

/**
 * The lists and macros `decl` uses (through one another too, as the working tree defines
 * them) whose definitions differ between `before` and `now`, sorted as `list x`, `macro y`.
 */
export function changedDefinitions(decl: DetectionDecl, before: ReadonlyMap<string, Definition>, now: ReadonlyMap<string, Definition>): string[] {
  const seen = new Set<string>();
  const queue = [...namesIn(decl.members, new Set())];
  const changed: string[] = [];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const def = now.get(name);
    if (def === undefined) continue;
    const old = before.get(name);
    const body = (d: Definition): string => JSON.stringify(stripSpans(d.kind === 'List' ? d.items : d.body));
    if (old === undefined || old.kind !== def.kind || body(old) !== body(def)) changed.push(`${def.kind === 'List' ? 'list' : 'macro'} \`${name}\``);
    for (const n of namesIn(def.kind === 'List' ? def.items : def.body, new Set())) queue.push(n);
  }
  return changed.sort();
}
