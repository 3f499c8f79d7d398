import type { Migration } from '@inkwell/db';

/**
 * Uploaded images, kept only when INFERENCE_IMAGE_RETENTION_DAYS > 0 (default 0: none), with what
 * the service answered, and deleted once older than the retention period.
 */
export const createRetainedImages: Migration = {
  name: '20261130120000_create-retained-images',
  async up(db) {
    await db.schema.createTable('retained_images', (t) => {
      t.bigIncrements('id').primary();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.text('request_id').notNullable();
      t.text('route').notNullable();
      /** 'ok' or the error code answered. */
      t.text('outcome').notNullable();
      t.smallint('digit');
      t.float('confidence');
      t.text('model_id');
      t.text('sha256').notNullable();
      t.integer('size_bytes').notNullable();
      t.binary('image').notNullable();
      t.index(['created_at']);
    });
  },
  async down(db) {
    await db.schema.dropTable('retained_images');
  },
};
