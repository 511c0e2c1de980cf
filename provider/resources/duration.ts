/**
 * Operation deadlines as users write them: seconds (`90`), or a duration string in the syntax of Pulumi's
 * `customTimeouts` (Go's time.ParseDuration without the sub-millisecond units): `"90s"`, `"10m"`, `"1h30m"`,
 * `"1.5h"`, `"500ms"`.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export const DURATION_HINT = 'must be a number of seconds above 0 or a duration such as "90s", "10m" or "1h30m"';

/** Seconds, or undefined when the value is not a positive number of seconds or a valid duration string. */
export function toSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit];
  return seconds > 0 ? seconds : undefined;
}
