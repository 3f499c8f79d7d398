import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { OUTBOX_TOPICS, type OutboxInput, type OutboxTopic } from './outbox-topics';

export interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly payload: unknown;
  /** Failed deliveries so far. */
  readonly attempts: number;
}

/**
 * Writes an event or job within the caller's transaction, so it exists iff the change it describes
 * does. The payload is checked against its topic's schema here, where a mistake is the caller's,
 * rather than found later by the relay. Returns the row id.
 */
export async function enqueue<T extends OutboxTopic>(trx: Knex, topic: T, payload: OutboxInput<T>, id: string = randomUUID()): Promise<string> {
  const parsed: unknown = OUTBOX_TOPICS[topic].parse(payload);
  await trx('outbox').insert({ id, topic, payload: JSON.stringify(parsed) });
  return id;
}

/**
 * Leases a batch of due, unsent rows of the given topics, oldest first: one statement moves their
 * next attempt `leaseMs` ahead and returns them, so other relays (replicas) skip them until the
 * lease ends, and no transaction or row lock is held while they are delivered (a slow SMTP server
 * must not pin a pool connection). A relay that dies mid-delivery leaves its rows due again when
 * the lease ends: delivery is at least once.
 */
export async function leaseDue(db: Knex, topics: readonly string[], limit: number, leaseMs: number): Promise<OutboxRow[]> {
  if (topics.length === 0) return [];
  const result = await db.raw<{ rows: (OutboxRow & { created_at: Date })[] }>(
    `update outbox set next_attempt_at = clock_timestamp() + ? * interval '1 millisecond'
      where id in (
        select id from outbox
         where sent_at is null and topic = any(?) and next_attempt_at <= clock_timestamp()
         order by created_at, id
         limit ?
         for update skip locked)
      returning id, topic, payload, attempts, created_at`,
    [leaseMs, [...topics], limit],
  );
  // RETURNING keeps no order: oldest first, as they were written.
  return result.rows
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id))
    .map(({ id, topic, payload, attempts }) => ({ id, topic, payload, attempts }));
}

export async function markSent(trx: Knex, ids: readonly string[]): Promise<void> {
  if (ids.length) await trx('outbox').whereIn('id', ids).update({ sent_at: trx.fn.now() });
}

/**
 * Records a failed delivery and when to try again: `delayMs` from the wall clock (not the
 * transaction's start, which may be a slow delivery ago and would make the row due at once).
 */
export async function markFailed(trx: Knex, id: string, error: string, delayMs: number): Promise<void> {
  await trx('outbox')
    .where({ id })
    .update({
      attempts: trx.raw('attempts + 1'),
      last_error: error.slice(0, 1000),
      next_attempt_at: trx.raw("clock_timestamp() + ? * interval '1 millisecond'", [delayMs]),
    });
}
