import type { Knex } from 'knex';

/**
 * Creates the `outbox` table in the schema the migration runs in (a service's own schema). Call it
 * from that service's migration. Migrations are append-only, so this function is too: a later
 * change to the table ships as a new function that services call from a new migration, never as an
 * edit here.
 */
export async function createOutboxTable(db: Knex): Promise<void> {
  await db.schema.createTable('outbox', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('topic').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    // A failed row waits until then, so it is retried with backoff and never holds up the others.
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('create index outbox_unsent_idx on outbox (created_at) where sent_at is null');
}
