import type { Migration } from '@inkwell/db';
import { createOutboxTable } from '@inkwell/outbox';

/** The transactional outbox: inference's audit events (per-caller-per-minute reads, model swaps) leave through it. */
export const createInferenceOutbox: Migration = {
  name: '20261210220000_create-outbox',
  async up(db) {
    await createOutboxTable(db);
  },
  async down(db) {
    await db.schema.dropTable('outbox');
  },
};
