/** How IR comparison operators and conditions on one field are spelled in the DSL, for messages. */
import { shortened } from '../diagnostics/printable.js';
import type { CompareCondition, LeafCondition, Scalar } from './types.js';

/** The DSL spelling of an IR comparison operator (`eq` → `==`). */
export const OP_TEXT: Readonly<Record<CompareCondition['op'], string>> = {
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  startswith: 'startswith',
  endswith: 'endswith',
  regex: 'regex',
};

/** Limits on what `leafText` shows: characters of a string value, values of a list. */
export interface TextLimits {
  readonly value: number;
  readonly list: number;
}

/**
 * The condition as DSL text, with its values as JSON (a named list's values included): for
 * messages. With `limits`, long strings and lists are shortened (`… (12 values)`).
 */
export function leafText(leaf: LeafCondition, limits?: TextLimits): string {
  const literal = (v: Scalar): string => JSON.stringify(typeof v === 'string' && limits ? shortened(v, limits.value) : v);
  const mode = leaf.kind !== 'exists' && !leaf.caseSensitive ? ' nocase' : '';
  switch (leaf.kind) {
    case 'exists':
      return `${leaf.field.name} exists`;
    case 'compare':
      return `${leaf.field.name} ${OP_TEXT[leaf.op]} ${literal(leaf.value)}${mode}`;
    case 'in': {
      const values = (limits ? leaf.values.slice(0, limits.list) : leaf.values).map(literal);
      if (limits && leaf.values.length > limits.list) values.push(`… (${leaf.values.length} values)`);
      return `${leaf.field.name} in [${values.join(', ')}]${mode}`;
    }
  }
}
