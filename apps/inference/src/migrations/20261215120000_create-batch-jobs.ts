import type { Migration } from '@inkwell/db';

/**
 * Batch OCR jobs and their items. A job's items are written with it (all `pending`, or `error` for
 * an entry refused at intake) and completed by the `batch` worker in chunks: a chunk's results and
 * the job's `processed`/`failed` counters in one transaction, so a job resumed after a crash reads
 * only `pending` items, and the (job_id, idx) key makes a duplicate row impossible. The files live
 * under `<DATA_DIR>/batch/<job id>/` (`in/<idx>`, `results.zip`); rows outlive them as the record.
 */
export const createBatchJobs: Migration = {
  name: '20261215120000_create-batch-jobs',
  async up(db) {
    await db.schema.createTable('batch_jobs', (t) => {
      t.uuid('id').primary();
      /** A user id, or `key:<api key id>` for a job started with an API key. */
      t.text('owner_id').notNullable();
      t.text('owner_kind').notNullable();
      t.text('status').notNullable().defaultTo('queued');
      t.integer('total_images').notNullable();
      t.integer('processed').notNullable().defaultTo(0);
      t.integer('failed').notNullable().defaultTo(0);
      t.text('source').notNullable();
      t.bigInteger('upload_bytes').notNullable();
      t.text('error');
      /** Counts by digit, by error code and uncertain answers; set when completed. */
      t.jsonb('summary');
      /** Relative to DATA_DIR. */
      t.text('results_path');
      t.text('request_id');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('started_at', { useTz: true });
      t.timestamp('finished_at', { useTz: true });
      t.timestamp('expires_at', { useTz: true }).notNullable();
      /** When the retention job deleted the files. */
      t.timestamp('deleted_at', { useTz: true });
      t.index(['owner_id', 'created_at']);
      t.index(['created_at']);
    });
    await db.raw("alter table batch_jobs add constraint batch_jobs_status_check check (status in ('queued', 'running', 'completed', 'failed', 'cancelled'))");
    await db.raw("alter table batch_jobs add constraint batch_jobs_source_check check (source in ('zip', 'files'))");
    await db.raw("alter table batch_jobs add constraint batch_jobs_owner_kind_check check (owner_kind in ('user', 'api_key'))");
    await db.raw('create index batch_jobs_expiring_idx on batch_jobs (expires_at) where deleted_at is null');
    await db.schema.createTable('batch_items', (t) => {
      t.uuid('job_id').notNullable().references('id').inTable('batch_jobs').onDelete('cascade');
      t.integer('idx').notNullable();
      /** The path inside the ZIP (folders kept), or the uploaded file's name. */
      t.text('name').notNullable();
      t.text('status').notNullable().defaultTo('pending');
      t.smallint('digit');
      /** double precision, as the reader computes it: a batch item's confidence equals what /v1/read answers for the same file. */
      t.double('confidence');
      t.jsonb('top3');
      t.boolean('uncertain');
      t.text('error_code');
      t.primary(['job_id', 'idx']);
    });
    await db.raw("alter table batch_items add constraint batch_items_status_check check (status in ('pending', 'done', 'error'))");
    // The worker's resume reads only what is left.
    await db.raw("create index batch_items_pending_idx on batch_items (job_id, idx) where status = 'pending'");
  },
  async down(db) {
    await db.schema.dropTable('batch_items');
    await db.schema.dropTable('batch_jobs');
  },
};
