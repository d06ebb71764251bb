/**
 * What an alert shows: `output: field, …` (projected columns) and `entities { kind: field }`
 * (entity mappings), both resolved to source fields.
 */
import { Codes } from '../diagnostics/codes.js';
import { suggest } from '../diagnostics/suggest.js';
import type { MapBlock, Property } from '../syntax/ast.js';
import { resolveField, type FieldIndex } from './fields.js';
import { where, type Reporter } from './report.js';
import { ENTITY_KINDS, type EntityKind, type FieldRef } from './types.js';
import { describeValue, itemsOf } from './values.js';

/** `output: time, proc.cmdline` → fields, in the order written; a field listed twice is an error. */
export function lowerOutput(p: Property, fields: FieldIndex, reporter: Reporter): FieldRef[] {
  const out: FieldRef[] = [];
  const seen = new Set<string>();
  for (const item of itemsOf(p.value)) {
    if (item.kind !== 'IdentifierValue') {
      reporter.report(
        Codes.InvalidValue,
        item.span,
        `\`output\` lists field names, not ${describeValue(item)}`,
        item.kind === 'String' ? `write the field name without quotes: ${item.value}` : 'write field names such as `proc.cmdline`',
      );
      continue;
    }
    if (seen.has(item.name)) {
      reporter.report(Codes.InvalidValue, item.span, `field \`${item.name}\` is listed twice in \`output\``, 'remove one of them');
      continue;
    }
    seen.add(item.name);
    const ref = resolveField({ kind: 'Identifier', name: item.name, span: item.span }, fields, reporter);
    if (ref !== undefined) out.push(ref);
  }
  return out;
}

/** `entities { host: hostname … }` → entity kind → field. */
export function lowerEntities(
  block: MapBlock,
  fields: FieldIndex,
  reporter: Reporter,
): Partial<Record<EntityKind, FieldRef>> {
  const out: Partial<Record<EntityKind, FieldRef>> = {};
  const seen = new Map<string, Property>();
  for (const entry of block.entries) {
    const kind = entry.key.name;
    if (!(ENTITY_KINDS as readonly string[]).includes(kind)) {
      const close = suggest(kind, ENTITY_KINDS);
      reporter.report(
        Codes.UnknownProperty,
        entry.key.span,
        `unknown entity kind \`${kind}\``,
        close !== undefined ? `did you mean \`${close}\`?` : `use one of: ${ENTITY_KINDS.join(', ')}`,
      );
      continue;
    }
    const first = seen.get(kind);
    if (first !== undefined) {
      reporter.report(
        Codes.DuplicateProperty,
        entry.key.span,
        `entity \`${kind}\` is mapped twice (first at ${where(first.key.span)})`,
        'keep one field per entity kind',
      );
      continue;
    }
    seen.set(kind, entry);
    const v = entry.value;
    if (v.kind !== 'IdentifierValue') {
      reporter.report(
        Codes.InvalidValue,
        v.span,
        `entity \`${kind}\` maps to one field name, not ${describeValue(v)}`,
        v.kind === 'String' ? `write the field name without quotes: ${v.value}` : `write e.g. \`${kind}: <field>\``,
      );
      continue;
    }
    const ref = resolveField({ kind: 'Identifier', name: v.name, span: v.span }, fields, reporter);
    if (ref !== undefined) out[kind as EntityKind] = ref;
  }
  // Key order follows ENTITY_KINDS, not the order written: the IR does not depend on layout.
  const ordered: Partial<Record<EntityKind, FieldRef>> = {};
  for (const k of ENTITY_KINDS) if (out[k] !== undefined) ordered[k] = out[k];
  return ordered;
}
