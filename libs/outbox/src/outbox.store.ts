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
 * Claims a batch of due, unsent rows of the given topics, oldest first. SKIP LOCKED lets several
 * relays (replicas) work side by side without delivering a row twice.
 */
export async function claimDue(trx: Knex.Transaction, topics: readonly string[], limit: number): Promise<OutboxRow[]> {
  if (topics.length === 0) return [];
  return trx('outbox')
    .select('id', 'topic', 'payload', 'attempts')
    .whereNull('sent_at')
    .whereIn('topic', topics)
    .where('next_attempt_at', '<=', trx.fn.now())
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit)
    .forUpdate()
    .skipLocked();
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
