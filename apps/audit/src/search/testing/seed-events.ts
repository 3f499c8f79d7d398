import { randomUUID } from 'node:crypto';
import type { AuditEventType } from '@inkwell/contracts';
import type { ChainWriter } from '../../chain/chain-writer';
import type { EventContent } from '../../chain/event-row';

/** An event as a search test writes it: what it does not say takes a plain default. */
export interface SeedEvent {
  readonly occurred_at?: string;
  readonly service?: string;
  readonly type?: AuditEventType;
  readonly action?: string;
  readonly result?: 'success' | 'failure';
  readonly actor_kind?: string;
  readonly actor_id?: string | null;
  readonly actor_email?: string | null;
  readonly actor_role?: string | null;
  readonly resource_type?: string | null;
  readonly resource_id?: string | null;
  readonly ip?: string | null;
  readonly user_agent?: string | null;
  readonly request_id?: string | null;
  readonly details?: Record<string, unknown>;
}

export const seedContent = (e: SeedEvent): EventContent => ({
  event_id: randomUUID(),
  occurred_at: new Date(e.occurred_at ?? Date.now()).toISOString(),
  service: e.service ?? 'auth',
  type: e.type ?? 'user',
  action: e.action ?? 'auth.login',
  result: e.result ?? 'success',
  actor_kind: e.actor_kind ?? 'user',
  actor_id: e.actor_id ?? null,
  actor_email: e.actor_email ?? null,
  actor_role: e.actor_role ?? null,
  resource_type: e.resource_type ?? null,
  resource_id: e.resource_id ?? null,
  ip: e.ip ?? null,
  user_agent: e.user_agent ?? null,
  request_id: e.request_id ?? null,
  details: e.details ?? {},
});

/**
 * Stores events through the service's own chain writer (as the `audit` queue's worker does, minus
 * the queue): the next seqs, recorded now, hashed. Returns their seqs, in order.
 */
export async function seedEvents(writer: ChainWriter, events: readonly SeedEvent[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < events.length; i += 1000) {
    const batch = events.slice(i, i + 1000);
    const { stored, head } = await writer.append(batch.map(seedContent));
    if (stored !== batch.length) throw new Error(`the writer stored ${stored} of ${batch.length} fresh events`);
    for (let s = head - stored + 1; s <= head; s += 1) seqs.push(s);
  }
  return seqs;
}
