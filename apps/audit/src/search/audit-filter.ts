import type { Knex } from 'knex';
import type { AuditLogFilter } from '@inkwell/contracts';

/**
 * What the keyword searches: the action and the details' JSON text. The very expression of the
 * trigram index (migration 20261210210000_audit-search-indexes), or PostgreSQL will not use it.
 */
export const KEYWORD_DOCUMENT = "(action || ' ' || details::text)";

/** A LIKE pattern's literal part: `%`, `_` and the escape character itself match only themselves. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Adds the filters that are set to a query on `events`, all of them ANDed. Parameterised throughout. */
export function applyAuditFilter(q: Knex.QueryBuilder, f: AuditLogFilter): Knex.QueryBuilder {
  if (f.from !== undefined) {
    void q.where('occurred_at', '>=', f.from);
    // The same bound on the partition key, so older monthly partitions are skipped unread: an event
    // is stored after it happens, give or take its producer's clock (a day of slack for that).
    void q.whereRaw("recorded_at >= ?::timestamptz - interval '1 day'", [f.from]);
  }
  if (f.to !== undefined) void q.where('occurred_at', '<', f.to);
  if (f.actor !== undefined) {
    const actor = f.actor;
    void q.where((w) => void w.where('actor_id', actor).orWhereRaw('lower(actor_email) = lower(?)', [actor]));
  }
  if (f.type !== undefined) void q.where('type', f.type);
  if (f.action !== undefined) {
    if (f.action.endsWith('*')) void q.whereRaw('action like ?', [`${likeLiteral(f.action.slice(0, -1))}%`]);
    else void q.where('action', f.action);
  }
  if (f.resource_type !== undefined) void q.where('resource_type', f.resource_type);
  if (f.resource_id !== undefined) void q.where('resource_id', f.resource_id);
  if (f.result !== undefined) void q.where('result', f.result);
  if (f.ip !== undefined) void q.where('ip', f.ip);
  if (f.q !== undefined) void q.whereRaw(`${KEYWORD_DOCUMENT} ilike ?`, [`%${likeLiteral(f.q)}%`]);
  return q;
}
