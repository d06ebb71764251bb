/**
 * When a detection runs and how its alerts are grouped: `schedule:` (default every 5m, lookback
 * 5m; lookback defaults to the frequency) and `suppress:`. Durations are checked here (DET2006).
 */
import { Codes } from '../diagnostics/codes.js';
import type { DurationValue, Identifier, ScheduleMember, SuppressMember } from '../syntax/ast.js';
import { resolveField, type FieldIndex } from './fields.js';
import type { Reporter } from './report.js';
import type { FieldRef, Schedule, Suppression } from './types.js';

/** Frequency and lookback when a detection has no `schedule:` (seconds). */
export const DEFAULT_SCHEDULE: Schedule = { kind: 'scheduled', every: 300, lookback: 300 };

/** The longest duration a detection may give (a year): longer ones are typing slips, and no SIEM target takes them. */
export const MAX_DURATION_SECONDS = 365 * 86_400;

/** Seconds of a duration that must be positive and at most a year (DET2006 otherwise); `what` names it in the message. */
export function positiveDuration(d: DurationValue, what: string, reporter: Reporter): number | undefined {
  if (Number.isInteger(d.seconds) && d.seconds > 0 && d.seconds <= MAX_DURATION_SECONDS) return d.seconds;
  if (Number.isNaN(d.seconds)) {
    reporter.report(
      Codes.InvalidDuration,
      d.span,
      `\`${d.text}\` is not a duration`,
      'write a whole number and one of the units s, m, h, d in lower case, e.g. `90s`, `5m`, `1h`, `7d`',
    );
    return undefined;
  }
  const tooLong = d.seconds > MAX_DURATION_SECONDS;
  reporter.report(
    Codes.InvalidDuration,
    d.span,
    tooLong ? `${what} \`${d.text}\` is longer than a year` : `${what} must be longer than zero, not \`${d.text}\``,
    tooLong ? 'write a duration of at most `365d`' : 'write a positive duration such as `30s`, `5m`, `1h` or `1d`',
  );
  return undefined;
}

/** `schedule: every 10m lookback 1h` / `schedule: realtime`; `undefined` after an error. */
export function lowerSchedule(m: ScheduleMember | undefined, reporter: Reporter): Schedule | undefined {
  if (m === undefined) return DEFAULT_SCHEDULE;
  if (m.mode === 'realtime') return { kind: 'realtime', span: m.span };
  const every = positiveDuration(m.every, 'the schedule frequency', reporter);
  const lookback = m.lookback === undefined ? every : positiveDuration(m.lookback, 'the lookback', reporter);
  if (every === undefined || lookback === undefined) return undefined;
  if (lookback < every) {
    reporter.report(
      Codes.InvalidDuration,
      m.lookback!.span,
      `lookback \`${m.lookback!.text}\` is shorter than the frequency \`${m.every.text}\`: events between runs would never be looked at`,
      `make the lookback at least \`${m.every.text}\``,
    );
    return undefined;
  }
  return { kind: 'scheduled', every, lookback, span: m.span };
}

/** Resolves a `by a, b` list of correlation keys (DET3017 for unknown names). */
export function lowerKeys(by: readonly Identifier[], fields: FieldIndex, reporter: Reporter): FieldRef[] | undefined {
  const out: FieldRef[] = [];
  let ok = true;
  for (const id of by) {
    const ref = resolveField(id, fields, reporter, 'correlation key');
    if (ref === undefined) ok = false;
    else out.push(ref);
  }
  return ok ? out : undefined;
}

/** `suppress: by container.id for 1h`; `undefined` after an error. */
export function lowerSuppression(m: SuppressMember, fields: FieldIndex, reporter: Reporter): Suppression | undefined {
  const by = lowerKeys(m.by, fields, reporter);
  const duration = positiveDuration(m.duration, 'the suppression duration', reporter);
  if (by === undefined || duration === undefined) return undefined;
  return { by, duration, span: m.span };
}
