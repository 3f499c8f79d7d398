import { createHash } from 'node:crypto';
import type { EventRow } from './event-row';

/** The hash before the first event (and the chain head of an empty log). */
export const GENESIS_HASH = '0'.repeat(64);

const VERSION = 'inkwell-audit-v1';

/** JSON with object keys sorted at every level: jsonb reorders keys, so the order must not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256 (hex) over every stored field of the event, its times included (Retraced's hash leaves
 * the time out, so a moved event still verifies), its place in the chain (`seq`) and the previous
 * event's hash. Fields are a JSON array in a fixed order: no separator can be forged into a value.
 */
export function chainHash(row: Omit<EventRow, 'hash'>): string {
  const fields = [
    VERSION,
    String(row.seq),
    row.event_id,
    row.occurred_at,
    row.recorded_at,
    row.service,
    row.type,
    row.action,
    row.result,
    row.actor_kind,
    row.actor_id,
    row.actor_email,
    row.actor_role,
    row.resource_type,
    row.resource_id,
    row.ip,
    row.user_agent,
    row.request_id,
    canonicalJson(row.details),
    row.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
