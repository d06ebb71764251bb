/**
 * The check of a `Program` against the IR JSON Schema (`ir-schema.ts`). A program that fails it
 * is a compiler bug (DET2099), never a user error.
 *
 * The check runs ajv's standalone validation code, generated from the schema at build time
 * (`build/generated.ts`, written to `data/generated/` by `npm run build`), so no run compiles
 * the schema; a test keeps the generated code identical to what ajv makes of the schema now.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadGeneratedModule } from '../build/load-generated.js';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic } from './report.js';
import type { Program } from './types.js';

export { IR_SCHEMA } from './ir-schema.js';

let quick: ValidateFunction | undefined;
let full: ValidateFunction | undefined;

/**
 * Checks `program` against the IR schema. Each violation is a DET2099 diagnostic (a compiler
 * bug: lowering must never produce such a program); empty when the program is well-formed.
 *
 * A first pass stops at the first violation (twice as fast on the valid programs lowering
 * makes); only when it finds one does the all-errors validator run, for every violation.
 */
export function checkIrSchema(program: Program): Diagnostic[] {
  quick ??= loadGeneratedModule<ValidateFunction>('ir-schema.validate-quick.cjs');
  if (quick(program)) return [];
  full ??= loadGeneratedModule<ValidateFunction>('ir-schema.validate.cjs');
  const validate = full;
  if (validate(program)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) =>
    diagnostic(
      Codes.InvalidIrSchema,
      undefined,
      `IR does not match its schema at \`${e.instancePath || '/'}\`: ${e.message ?? e.keyword}`,
      'this is a bug in the compiler, not in your detections; please report it with the input that caused it',
    ),
  );
}
