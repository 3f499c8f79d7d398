/** A timestamp from the API in the reader's own locale and time zone; `none` when there is none. */
export function formatDateTime(iso: string | null, none: string): string {
  if (!iso) return none;
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}
