/** How IR comparison operators are spelled in the DSL, for messages. */
import type { CompareCondition } from './types.js';

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
