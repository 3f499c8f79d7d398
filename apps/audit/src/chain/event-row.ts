import type { AuditEvent } from '@inkwell/contracts';

/** One stored event: a row of `audit.events` as the hash covers it (times as ISO strings, ms). */
export interface EventRow {
  readonly seq: number;
  readonly event_id: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly service: string;
  readonly type: 'api' | 'user' | 'system';
  readonly action: string;
  readonly result: 'success' | 'failure';
  readonly actor_kind: string;
  readonly actor_id: string | null;
  readonly actor_email: string | null;
  readonly actor_role: string | null;
  readonly resource_type: string | null;
  readonly resource_id: string | null;
  readonly ip: string | null;
  readonly user_agent: string | null;
  readonly request_id: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prev_hash: string;
  readonly hash: string;
}

/** An event's content before the writer places it in the chain. */
export type EventContent = Omit<EventRow, 'seq' | 'recorded_at' | 'prev_hash' | 'hash'>;

// PostgreSQL text and jsonb refuse NUL and lone UTF-16 surrogates: one such character in a
// user agent would otherwise fail its event (and the batch it shares) on every retry.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string): string => s.replace(UNSTORABLE, '\uFFFD');
const cleanOrNull = (s: string | null): string | null => (s === null ? null : clean(s));

function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), cleanJson(v)]));
  return value;
}

/** `api.` actions are API calls, a system actor makes a system event, everything else a user's. */
export function eventType(event: Pick<AuditEvent, 'action' | 'actor'>): EventRow['type'] {
  if (event.action.startsWith('api.')) return 'api';
  if (event.actor.kind === 'system') return 'system';
  return 'user';
}

/**
 * What the audit service stores of an event, normalised to what PostgreSQL gives back: times cut
 * to milliseconds (what a JS Date holds, so the hash covers exactly the stored instant), details
 * as JSON (undefined dropped) and strings PostgreSQL can store.
 */
export function eventContent(event: AuditEvent): EventContent {
  const details = cleanJson(JSON.parse(JSON.stringify(event.details ?? {})) as unknown) as Record<string, unknown>;
  return {
    event_id: event.id,
    occurred_at: new Date(event.at).toISOString(),
    service: clean(event.service),
    type: eventType(event),
    action: event.action,
    result: event.outcome,
    actor_kind: event.actor.kind,
    actor_id: cleanOrNull(event.actor.id),
    actor_email: cleanOrNull(event.actor.email),
    actor_role: cleanOrNull(event.actor.role),
    resource_type: event.target ? clean(event.target.type) : null,
    resource_id: event.target ? cleanOrNull(event.target.id) : null,
    ip: cleanOrNull(event.ip),
    user_agent: cleanOrNull(event.user_agent),
    request_id: cleanOrNull(event.request_id),
    details,
  };
}
