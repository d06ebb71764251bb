/**
 * Field resolution: a name written in a `.det` file becomes a `FieldRef` of the source, or an
 * "unknown field" diagnostic with a did-you-mean hint. This is where DET3003 (and DET3017 for
 * correlation keys) is checked: a FieldRef cannot be built without it.
 */
import type { CodeInfo } from '../diagnostics/codes.js';
import { Codes } from '../diagnostics/codes.js';
import { suggest } from '../diagnostics/suggest.js';
import type { Identifier } from '../syntax/ast.js';
import type { SourceDefinition, SourceField } from '../source/types.js';
import type { FieldRef } from './types.js';
import type { Reporter } from './report.js';

/** The fields of a source, by name. */
export class FieldIndex {
  private readonly byName: ReadonlyMap<string, SourceField>;
  /** One frozen `FieldRef` per field, shared by every reference to it (the IR is frozen anyway). */
  private readonly refs = new Map<string, FieldRef>();

  constructor(readonly source: SourceDefinition) {
    this.byName = new Map(source.fields.map((f) => [f.name, f]));
  }

  /** The source field called `name`, if any. */
  get(name: string): SourceField | undefined {
    return this.byName.get(name);
  }

  /** The `FieldRef` of the source field called `name`, if any. */
  ref(name: string): FieldRef | undefined {
    let ref = this.refs.get(name);
    if (ref === undefined) {
      const field = this.byName.get(name);
      if (field === undefined) return undefined;
      ref = Object.freeze({ name: field.name, type: field.type });
      this.refs.set(name, ref);
    }
    return ref;
  }

  /** Every field name of the source. */
  names(): Iterable<string> {
    return this.byName.keys();
  }
}

/** How an unknown name is reported: as a field in a condition, or as a correlation key. */
export type FieldRole = 'field' | 'correlation key';

/**
 * Resolves `id` to a field of the source. Unknown names are reported (DET3003 for fields,
 * DET3017 for correlation keys) with a did-you-mean hint; the result is then `undefined`.
 */
export function resolveField(
  id: Identifier,
  fields: FieldIndex,
  reporter: Reporter,
  role: FieldRole = 'field',
): FieldRef | undefined {
  const ref = fields.ref(id.name);
  if (ref !== undefined) return ref;
  const info: CodeInfo = role === 'field' ? Codes.UnknownField : Codes.CorrelationKeyUnknown;
  const close = suggest(id.name, fields.names());
  reporter.report(
    info,
    id.span,
    role === 'field'
      ? `unknown field \`${id.name}\` in source \`${fields.source.name}\``
      : `correlation key \`${id.name}\` is not a field of source \`${fields.source.name}\``,
    close !== undefined
      ? `did you mean \`${close}\`?`
      : `use one of the fields declared by source \`${fields.source.name}\` (e.g. \`${firstNames(fields)}\`)`,
  );
  return undefined;
}

function firstNames(fields: FieldIndex): string {
  return [...fields.names()].slice(0, 3).join('`, `');
}
