/*
 * The one place numbers and times become text in a report. Nothing here consults the locale or the
 * time zone (no toLocaleString, no Intl, no local Date getters): the same value gives the same
 * characters on every machine, which is what makes the files byte-identical.
 */

/** `value` with exactly `decimals` digits after a '.' and a '-' for negatives; 'n/a' for null and non-finite values. */
export function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  // toFixed is specified by ECMAScript independent of locale; -0 and values that round to zero print without a sign.
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A signed number ('+' for positive), for deltas. */
export function formatSigned(value: number | null | undefined, decimals: number): string {
  const text = formatNumber(value, decimals);
  return text !== 'n/a' && !text.startsWith('-') && Number(text) !== 0 ? `+${text}` : text;
}

/** A ratio (0..1) as a percentage with `decimals` digits, e.g. 0.98765 -> '98.77 %'. */
export function formatPercent(ratio: number | null | undefined, decimals = 2): string {
  const text = formatNumber(ratio === null || ratio === undefined ? ratio : ratio * 100, decimals);
  return text === 'n/a' ? text : `${text} %`;
}

/** A ratio difference in percentage points, signed. */
export function formatPoints(delta: number | null | undefined, decimals = 2): string {
  const text = formatSigned(delta === null || delta === undefined ? delta : delta * 100, decimals);
  return text === 'n/a' ? text : `${text} pt`;
}

/** An integer count, no grouping separators. */
export function formatCount(value: number): string {
  return formatNumber(value, 0);
}

/** An ISO 8601 time from a record (any offset) as UTC to the second: '2026-01-02T03:04:05Z'. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${iso}`);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** A p-value: four decimals, or '< 0.0001' below what four decimals can show. */
export function formatPValue(p: number): string {
  return p < 0.0001 ? '< 0.0001' : formatNumber(p, 4);
}
