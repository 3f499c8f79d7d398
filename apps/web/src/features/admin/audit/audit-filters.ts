import { z } from 'zod';
import { AuditEventType, type AuditLogFilter } from '@inkwell/contracts';

/** The search's filters as the query string carries them (the route's own input type). */
export type AuditFilter = z.input<typeof AuditLogFilter>;

/** Filters that are free text in the form (from/to are converted between local time and ISO). */
const TEXT_KEYS = ['actor', 'action', 'resource_type', 'resource_id', 'ip', 'q'] as const;
const TIME_KEYS = ['from', 'to'] as const;
/** The URL's order, so the same filters always give the same shareable address. */
const ORDER = ['from', 'to', 'actor', 'type', 'action', 'resource_type', 'resource_id', 'result', 'ip', 'q'] as const;
const Result = z.enum(['success', 'failure']);

/**
 * The filters named in the page's query string (a shared or reloaded link). Values are passed on
 * as they are: the server validates them and the page shows what it refused.
 */
export function filterFromSearch(search: URLSearchParams): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of [...TIME_KEYS, ...TEXT_KEYS]) {
    const v = search.get(key)?.trim();
    if (v) filter[key] = v;
  }
  const type = AuditEventType.safeParse(search.get('type'));
  if (type.success) filter.type = type.data;
  const result = Result.safeParse(search.get('result'));
  if (result.success) filter.result = result.data;
  return filter;
}

/** The query string for `filter`, in a fixed order. */
export function searchFromFilter(filter: AuditFilter): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of ORDER) {
    const v = filter[key];
    if (v) out.set(key, v);
  }
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` value in the browser's time zone ('' when absent or unreadable). */
export function isoToLocalInput(iso: string | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `datetime-local` value (the browser's time zone) as an ISO instant; null when it is not a whole date and time. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Reads the filter form: the filters, or the name of a time field that is not a whole date and time. */
export function filterFromForm(form: FormData): { readonly filter: AuditFilter } | { readonly badTime: 'from' | 'to' } {
  const text = (name: string): string => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const params = new URLSearchParams();
  for (const key of TIME_KEYS) {
    const raw = text(key);
    if (!raw) continue;
    const iso = localInputToIso(raw);
    if (!iso) return { badTime: key };
    params.set(key, iso);
  }
  for (const key of [...TEXT_KEYS, 'type', 'result'] as const) params.set(key, text(key));
  return { filter: filterFromSearch(params) };
}
