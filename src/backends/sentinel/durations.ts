/**
 * Durations (seconds in the IR) as the Sentinel artifacts write them: ISO 8601 in ARM
 * templates (`PT5M`, `PT1H30M`, `P1D`), and `5m` / `1h` / `1d` in the Azure-Sentinel YAML.
 */

/** ISO 8601 duration: `P<n>D` for whole days, else `PT<h>H<m>M<s>S` without zero parts. */
export function isoDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`not a positive whole number of seconds: ${seconds}`);
  if (seconds % 86400 === 0) return `P${seconds / 86400}D`;
  const d = Math.floor(seconds / 86400);
  let rest = seconds % 86400;
  const h = Math.floor(rest / 3600);
  rest %= 3600;
  const m = Math.floor(rest / 60);
  const s = rest % 60;
  return `P${d > 0 ? `${d}D` : ''}T${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 ? `${s}S` : ''}`;
}

/** The YAML form: the largest of d, h, m that divides the duration (`90m`, `2h`, `1d`). */
export function yamlDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
