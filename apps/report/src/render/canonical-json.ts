/**
 * JSON with object keys sorted (by UTF-16 code units, locale-free) at every level, two-space
 * indent and a final newline: the same value always gives the same bytes, whatever order its
 * keys were built in. Numbers use ECMAScript's shortest round-trip form, which is locale-free.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
