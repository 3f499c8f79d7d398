import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/** Training jobs (the `gpu` queue carries only their ids) and the model versions they produce. */
export const createTrainingJobs: Migration = {
  name: '20261207130000_create-training-jobs',
  async up(db: Knex) {
    await db.schema.createTable('training_jobs', (t) => {
      t.uuid('id').primary();
      t.uuid('owner_id');
      // 'mnist' (the built-in) or an uploaded dataset's uuid.
      t.text('dataset_id').notNullable();
      t.jsonb('split').notNullable();
      t.text('family').notNullable();
      t.jsonb('hyperparameters').notNullable();
      t.integer('epochs').notNullable();
      t.integer('seed').notNullable();
      t.integer('max_train_samples');
      t.text('status').notNullable().checkIn(['queued', 'running', 'completed', 'failed', 'cancelled']);
      t.jsonb('progress');
      t.text('error');
      t.uuid('model_version_id');
      t.integer('attempts').notNullable().defaultTo(0);
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('started_at', { useTz: true });
      t.timestamp('finished_at', { useTz: true });
    });
    await db.raw('create index training_jobs_owner_idx on training_jobs (owner_id, created_at desc)');
    // Queue positions and ETAs read the queued and the recently finished jobs.
    await db.raw('create index training_jobs_status_idx on training_jobs (status, created_at)');
    await db.schema.createTable('model_versions', (t) => {
      t.uuid('id').primary();
      // Unique: a retried or resumed job still yields exactly one model version.
      t.uuid('job_id').notNullable().unique().references('id').inTable('ml.training_jobs');
      t.text('family').notNullable();
      t.text('dataset_id').notNullable();
      t.jsonb('split').notNullable();
      // Relative to the trainer's data directory, so the directory can move.
      t.text('artifact_path').notNullable();
      t.jsonb('metrics').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable('model_versions');
    await db.schema.dropTable('training_jobs');
  },
};
