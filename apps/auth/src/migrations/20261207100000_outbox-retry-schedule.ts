import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * The outbox library retries a failed row after an exponential backoff: it waits until
 * `next_attempt_at`, so one failing row (an address the SMTP server refuses) no longer holds up the
 * rows behind it. Existing rows are due at once. (New services get the column from the library's
 * `createOutboxTable`; auth's table predates it.)
 */
export const outboxRetrySchedule: Migration = {
  name: '20261207100000_outbox-retry-schedule',
  async up(db: Knex) {
    await db.schema.alterTable('outbox', (t) => {
      t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('outbox', (t) => {
      t.dropColumn('next_attempt_at');
    });
  },
};
