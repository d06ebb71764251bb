/**
 * UuidFormatRule — DET3002: a detection's `id` must be a lowercase UUID
 * (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, not the nil UUID): Sentinel uses it as the alert rule
 * template GUID, Kibana as `rule_id`.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import { idValue } from '../ast-walk.js';
import type { RuleContext } from '../context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GENERATE = 'generate one with `uuidgen | tr A-Z a-z` or `node -e "console.log(crypto.randomUUID())"`';

/** Detection ids that are not lowercase, non-nil UUIDs (DET3002), at the id value. */
export function UuidFormatRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { decl } of ctx.detectionDecls()) {
    const id = idValue(decl);
    if (id === undefined) continue;
    const v = id.value;
    if (UUID.test(v)) {
      if (/^[0-]+$/.test(v)) {
        out.push(diagnostic(Codes.MalformedUuid, id.span, 'id is the nil UUID, which identifies nothing', GENERATE));
      }
      continue;
    }
    if (UUID.test(v.toLowerCase())) {
      out.push(
        diagnostic(
          Codes.MalformedUuid,
          id.span,
          `id ${JSON.stringify(v)} must be written in lowercase`,
          `write ${JSON.stringify(v.toLowerCase())}`,
        ),
      );
      continue;
    }
    out.push(
      diagnostic(
        Codes.MalformedUuid,
        id.span,
        `id ${JSON.stringify(v)} is not a UUID (8-4-4-4-12 hexadecimal digits)`,
        GENERATE,
      ),
    );
  }
  return out;
}
