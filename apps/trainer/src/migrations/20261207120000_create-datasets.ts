import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';
import { createOutboxTable } from '@inkwell/outbox';

/** The trainer's outbox (audit events, `cpu`/`gpu` jobs) and its uploaded and built-in datasets. */
export const createDatasets: Migration = {
  name: '20261207120000_create-datasets',
  async up(db: Knex) {
    await createOutboxTable(db);
    await db.schema.createTable('datasets', (t) => {
      t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
      t.text('name').notNullable();
      t.text('description').notNullable().defaultTo('');
      // Null for built-ins: nobody owns them, every engineer sees them.
      t.uuid('owner_id');
      t.boolean('built_in').notNullable().defaultTo(false);
      t.text('format').notNullable();
      t.text('status').notNullable().checkIn(['validating', 'ready', 'invalid']);
      t.bigInteger('size_bytes').notNullable();
      // The uploaded blobs (hash, size, client name) and what detection made of them.
      t.jsonb('files').notNullable();
      t.jsonb('report');
      t.jsonb('stats');
      t.jsonb('split');
      t.text('normalized_images_hash');
      t.text('normalized_labels_hash');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('deleted_at', { useTz: true });
    });
    await db.raw('create index datasets_owner_idx on datasets (owner_id, created_at desc) where deleted_at is null');
    // The built-in `mnist` is registered at every start: one row, whichever process gets there first.
    await db.raw('create unique index datasets_builtin_name_key on datasets (name) where built_in');
  },
  async down(db: Knex) {
    await db.schema.dropTable('datasets');
    await db.schema.dropTable('outbox');
  },
};
