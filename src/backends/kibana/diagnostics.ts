/**
 * DET5001 for the Kibana target: which detection, what part of it, and why Kibana (or the
 * query language it uses there) cannot express it exactly.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { copySpan } from '../../ir/report.js';
import type { Detection } from '../../ir/types.js';

/** The target name used in messages. */
export const KIBANA_TARGET = 'kibana';

/**
 * DET5001 at `span` (default: the detection): `what` names the part of the detection
 * (e.g. "the sequence", "the suppression"), `reason` says why it has no exact Kibana form.
 */
export function cannotExpress(detection: Detection, what: string, reason: string, span?: Span): Diagnostic {
  return {
    code: Codes.TargetCannotExpress.code,
    severity: Codes.TargetCannotExpress.severity,
    message: `target '${KIBANA_TARGET}' cannot express ${what} of detection '${detection.name}' exactly: ${reason}`,
    span: copySpan(span ?? detection.span),
    hint: 'rewrite this part so the Kibana target can express it (see "What the Kibana target cannot express" in the README), or compile other targets (e.g. --target esdsl) instead of kibana',
  };
}

/**
 * DET5005 at `span`: the detection has a Security rule but no `.es-query` rule, for `reason`
 * (the `.es-query` rules are an alternative for deployments without the Security app).
 */
export function esQueryOmitted(detection: Detection, reason: string, span?: Span): Diagnostic {
  return {
    code: Codes.EsQueryRuleOmitted.code,
    severity: Codes.EsQueryRuleOmitted.severity,
    message: `detection '${detection.name}' is left out of es-query-rules.ndjson: ${reason}; its Security rule is written`,
    span: copySpan(span ?? detection.span),
    hint: 'where the .es-query rules are used (no Security app), reduce the threshold to at most 4 `by` fields; otherwise nothing to do',
  };
}

/** Where a schedule problem is reported: the `schedule:` member, else the correlation whose window it concerns, else the detection. */
export function scheduleSpan(detection: Detection): Span | undefined {
  return detection.schedule.span ?? (detection.match.kind === 'filter' ? undefined : detection.match.span);
}

/** The diagnostics without repeats (same code, place and message), in their first order. */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = JSON.stringify([d.code, d.span?.file, d.span?.start.offset, d.span?.end.offset, d.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
