/**
 * Sentinel's limits on analytics rules (and the Azure-Sentinel repository's on templates):
 * a rule that exceeds one would be rejected at deployment, so it is a compile error (DET5003)
 * at the member that sets it (`schedule:`, `suppress:`, the correlation), else at the detection.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import type { Detection } from '../../ir/types.js';
import { DAY, HOUR, MINUTE, yamlDuration } from './durations.js';
import { MAX_CUSTOM_DETAILS, type SentinelRule } from './rule.js';

/** Sentinel's limits (lengths in characters, durations in seconds). */
export const LIMITS = {
  nameLength: 256,
  descriptionLength: 5000,
  queryLength: 10000,
  minFrequency: 5 * MINUTE,
  maxFrequency: 14 * DAY,
  minPeriod: 5 * MINUTE,
  maxPeriod: 14 * DAY,
  /** A period this long needs a frequency of at least `minFrequencyForLongPeriod`. */
  longPeriod: 2 * DAY,
  minFrequencyForLongPeriod: HOUR,
  minSuppression: 5 * MINUTE,
  maxSuppression: 24 * HOUR,
  minGroupingLookback: 5 * MINUTE,
  maxGroupingLookback: 7 * DAY,
  maxEntityMappings: 10,
  maxFieldMappingsPerEntity: 3,
} as const;

/** DET5003 for every limit `rule` exceeds. */
export function checkLimits(d: Detection, rule: SentinelRule): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fail = (message: string, hint: string, span: Span = d.span): void => {
    out.push({ code: Codes.TargetLimitExceeded.code, severity: 'error', message: `detection ${d.name}: ${message}`, span, hint });
  };
  const length = (what: string, value: string, max: number, hint: string): void => {
    if (value.length > max) fail(`the Sentinel ${what} has ${value.length} characters; Sentinel allows at most ${max}`, hint);
  };
  const range = (what: string, seconds: number, min: number, max: number, hint: string, span: Span | undefined): void => {
    if (seconds < min || seconds > max) fail(`the Sentinel ${what} is ${yamlDuration(seconds)}; Sentinel allows ${yamlDuration(min)} to ${yamlDuration(max)}`, hint, span);
  };
  const correlation = d.match.kind === 'filter' ? undefined : d.match.span;
  length('rule name (title)', rule.displayName, LIMITS.nameLength, 'shorten the title');
  length('rule description (description, triage, response, false positives and references)', rule.description, LIMITS.descriptionLength, 'shorten the description or the triage and response guidance');
  length('query', rule.query, LIMITS.queryLength, 'simplify the condition, or move long value lists into fewer comparisons');
  if (rule.kind === 'Scheduled') {
    range('query frequency (schedule every)', rule.queryFrequency as number, LIMITS.minFrequency, LIMITS.maxFrequency, 'use `schedule: every 5m` or more, at most 14d (or `realtime`)', d.schedule.span);
    range('query period (lookback, widened to frequency + correlation window)', rule.queryPeriod as number, LIMITS.minPeriod, LIMITS.maxPeriod, 'keep the lookback, and frequency plus window, between 5m and 14d', d.schedule.kind === 'realtime' ? correlation : d.schedule.span ?? correlation);
  }
  if (rule.kind === 'Scheduled' && (rule.queryPeriod as number) >= LIMITS.longPeriod && (rule.queryFrequency as number) < LIMITS.minFrequencyForLongPeriod) {
    fail(
      `the Sentinel query period is ${yamlDuration(rule.queryPeriod as number)} and the frequency ${yamlDuration(rule.queryFrequency as number)}; with a period of ${yamlDuration(LIMITS.longPeriod)} or more, Sentinel requires a frequency of at least ${yamlDuration(LIMITS.minFrequencyForLongPeriod)}`,
      'use `schedule: every 1h` or more, or keep the lookback (and frequency plus window) under 2d',
      d.schedule.kind === 'realtime' ? correlation : d.schedule.span ?? correlation,
    );
  }
  if (rule.suppressionEnabled) {
    range('suppression duration', rule.suppressionDuration, LIMITS.minSuppression, LIMITS.maxSuppression, 'use `suppress: for` between 5m and 24h', d.suppression?.span);
  }
  if (rule.entityMappings.length > LIMITS.maxEntityMappings) {
    fail(`the Sentinel rule has ${rule.entityMappings.length} entity mappings; Sentinel allows at most ${LIMITS.maxEntityMappings}`, 'map fewer entities');
  }
  for (const e of rule.entityMappings) {
    if (e.fieldMappings.length < 1 || e.fieldMappings.length > LIMITS.maxFieldMappingsPerEntity) {
      fail(`the Sentinel ${e.entityType} entity has ${e.fieldMappings.length} field mappings; Sentinel allows 1 to ${LIMITS.maxFieldMappingsPerEntity}`, 'map the entity to fewer fields');
    }
  }
  const ungrouped = rule.grouping.ungroupedKeys.map((k) => `\`${k}\``);
  if (ungrouped.length > 0) {
    fail(
      `incidents cannot be grouped by the suppression key(s) ${ungrouped.join(', ')}: each is neither an entity nor one of the ${MAX_CUSTOM_DETAILS} custom details Sentinel allows`,
      'suppress by fewer fields',
      d.suppression?.span,
    );
  }
  range('incident grouping period (suppress … for)', rule.grouping.lookbackDuration, LIMITS.minGroupingLookback, LIMITS.maxGroupingLookback, 'use `suppress: by … for` between 5m and 7d', d.suppression?.span);
  return out;
}
