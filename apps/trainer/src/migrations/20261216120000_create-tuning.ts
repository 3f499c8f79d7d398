import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * Hyperparameter tuning: a study (`tuning_jobs`, its request and result) and its trials
 * (`tuning_trials`, one row per proposed parameter set; the `gpu` queue carries only which one to run).
 */
export const createTuning: Migration = {
  name: '20261216120000_create-tuning',
  async up(db: Knex) {
    await db.schema.createTable('tuning_jobs', (t) => {
      t.uuid('id').primary();
      t.uuid('owner_id');
      t.text('family').notNullable();
      t.text('dataset_id').notNullable();
      t.jsonb('split').notNullable();
      // Set by POST /api/models/{id}/tune: the version the result is compared with.
      t.uuid('from_version_id');
      // The request as parsed (space, method, budget, objective, seed, epochs, base hyperparameters).
      t.jsonb('request').notNullable();
      t.text('status').notNullable().checkIn(['queued', 'running', 'completed', 'failed', 'cancelled']);
      t.text('error');
      t.jsonb('result');
      t.uuid('kept_version_id');
      t.timestamp('discarded_at', { useTz: true });
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('started_at', { useTz: true });
      t.timestamp('finished_at', { useTz: true });
    });
    await db.raw('create index tuning_jobs_owner_idx on tuning_jobs (owner_id, created_at desc)');
    await db.schema.createTable('tuning_trials', (t) => {
      t.uuid('job_id').notNullable().references('id').inTable('ml.tuning_jobs');
      t.integer('index').notNullable();
      t.jsonb('params').notNullable();
      t.text('status').notNullable().checkIn(['queued', 'running', 'completed', 'pruned', 'failed', 'cancelled']);
      // Validation accuracy after each epoch, in order.
      t.jsonb('val_accuracy').notNullable().defaultTo('[]');
      t.double('value');
      t.integer('pruned_at_epoch');
      // The trained model's id (it becomes the version's id if the study is kept) and folder, relative to DATA_DIR.
      t.uuid('model_id').notNullable();
      t.text('artifact_path');
      // Its scores on the test split: reported, never used to choose.
      t.jsonb('test_metrics');
      t.text('error');
      t.timestamp('started_at', { useTz: true });
      t.timestamp('finished_at', { useTz: true });
      t.primary(['job_id', 'index']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable('tuning_trials');
    await db.schema.dropTable('tuning_jobs');
  },
};
