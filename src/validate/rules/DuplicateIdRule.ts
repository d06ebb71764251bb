/**
 * DuplicateIdRule — DET3001: two detections share an `id` (the id becomes the Sentinel template
 * id and the Kibana `rule_id`, so it must be unique); DET2008: two detections share a name (the
 * name names the generated files, so names differing only in case collide too). Checked on the
 * ASTs, so detections with other errors count.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic, where } from '../../ir/report.js';
import type { DetectionDecl } from '../../syntax/ast.js';
import { idValue } from '../ast-walk.js';
import type { RuleContext } from '../context.js';

/**
 * Duplicate detection ids (DET3001) and names (DET2008), at the second occurrence in file order,
 * which need not be the newer one: the messages name both and say which to change.
 */
export function DuplicateIdRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, DetectionDecl>();
  const ids = new Map<string, DetectionDecl>();
  for (const { decl } of ctx.detectionDecls()) {
    // names that differ only in case name the same files on case-insensitive file systems (macOS, Windows)
    const firstNamed = names.get(decl.name.name.toLowerCase());
    if (firstNamed === undefined) names.set(decl.name.name.toLowerCase(), decl);
    else {
      const same = firstNamed.name.name === decl.name.name;
      out.push(
        diagnostic(
          Codes.DuplicateName,
          decl.name.span,
          same
            ? `detection \`${decl.name.name}\` is already defined at ${where(firstNamed.name.span)}`
            : `detection \`${decl.name.name}\` differs only in case from \`${firstNamed.name.name}\` (${where(firstNamed.name.span)}): their files would be one file on macOS and Windows`,
          'detection names must be unique, ignoring case: each names its generated files; rename one of them',
        ),
      );
    }
    const id = idValue(decl);
    if (id === undefined) continue;
    const k = id.value.trim().toLowerCase();
    const firstWithId = ids.get(k);
    if (firstWithId === undefined) ids.set(k, decl);
    else {
      out.push(
        diagnostic(
          Codes.DuplicateId,
          id.span,
          `this detection \`${decl.name.name}\` and detection \`${firstWithId.name.name}\` at ${where(firstWithId.name.span)} share the id ${JSON.stringify(id.value)}: two detections cannot`,
          'keep the id on the one already deployed (Sentinel and Kibana key the rule on it) and give the other, the new one, a new UUID (e.g. from `uuidgen | tr A-Z a-z`)',
        ),
      );
    }
  }
  return out;
}
