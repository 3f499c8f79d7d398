import type { Knex } from 'knex';
import type { AuditEvent } from '@inkwell/contracts';

export type OutboxTopic = 'audit' | 'email';

export interface OutboxRow {
  id: string;
  topic: OutboxTopic;
  payload: unknown;
}

/** Writes within the caller's transaction, so the event exists iff the change it describes does. */
export async function enqueueOutbox(trx: Knex, topic: OutboxTopic, payload: AuditEvent | Record<string, unknown>, id?: string): Promise<void> {
  await trx('outbox').insert({ ...(id ? { id } : {}), topic, payload: JSON.stringify(payload) });
}

/** Claims a batch of unsent rows; SKIP LOCKED lets several replicas relay without doubles. */
export async function claimUnsent(trx: Knex.Transaction, topic: OutboxTopic, limit: number): Promise<OutboxRow[]> {
  return trx('outbox').select('id', 'topic', 'payload').where({ topic }).whereNull('sent_at').orderBy('created_at').limit(limit).forUpdate().skipLocked();
}

export async function markSent(trx: Knex.Transaction, ids: readonly string[]): Promise<void> {
  if (ids.length) await trx('outbox').whereIn('id', ids).update({ sent_at: trx.fn.now() });
}

export async function markFailed(db: Knex, ids: readonly string[], error: string): Promise<void> {
  if (ids.length) await db('outbox').whereIn('id', ids).update({ attempts: db.raw('attempts + 1'), last_error: error.slice(0, 1000) });
}
