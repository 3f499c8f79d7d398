import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * `model_versions` becomes the model registry, the one table of model versions: trained ones (as
 * before), the shipped defaults (`builtin`, no job) and imported ones. Each row carries its
 * provenance, its artifact's size and sha256, and, once evaluated on its test split, the full
 * evaluation and the predicted digit of every test image (compare runs McNemar on those).
 */
export const createModelRegistry: Migration = {
  name: '20261208140000_model-registry',
  async up(db: Knex) {
    await db.raw('alter table model_versions alter column job_id drop not null');
    // Builtin and imported versions arrive without metrics; their evaluation fills `evaluation`.
    await db.raw('alter table model_versions alter column metrics drop not null');
    await db.schema.alterTable('model_versions', (t) => {
      t.text('source').notNullable().defaultTo('trained').checkIn(['trained', 'builtin', 'imported']);
      t.text('name');
      t.jsonb('hyperparameters').notNullable().defaultTo('{}');
      t.integer('seed');
      // Names the exact test set (e.g. `mnist:test`): versions compare only on the same one.
      t.text('test_set').notNullable().defaultTo('mnist:test');
      t.bigInteger('size_bytes');
      t.text('sha256');
      // Null: the system (builtins).
      t.uuid('created_by');
      t.text('status').notNullable().defaultTo('ready').checkIn(['evaluating', 'ready', 'failed', 'deleted']);
      t.text('status_reason');
      // Set by promotion; false until a version is served.
      t.boolean('active').notNullable().defaultTo(false);
      // A column of its own, for sorting: the evaluation's accuracy.
      t.double('accuracy');
      t.jsonb('evaluation');
      // One byte per test image, in test-set order: the predicted digit.
      t.binary('test_predictions');
    });
    await db.raw(`update model_versions set name = id::text, accuracy = (metrics->>'accuracy')::double precision where name is null`);
    await db.raw('alter table model_versions alter column name set not null');
    // A trained version always comes from a job; the others never do.
    await db.raw(`alter table model_versions add constraint model_versions_job_source_check check ((source = 'trained') = (job_id is not null))`);
    // Two trainers starting together register each shipped model once.
    await db.raw(`create unique index model_versions_builtin_sha256_key on model_versions (sha256) where source = 'builtin'`);
    await db.raw('create index model_versions_created_idx on model_versions (created_at desc)');
    await db.raw('create index model_versions_accuracy_idx on model_versions (accuracy desc nulls last)');
  },
  async down(db: Knex) {
    await db.raw('drop index model_versions_accuracy_idx');
    await db.raw('drop index model_versions_created_idx');
    await db.raw('drop index model_versions_builtin_sha256_key');
    await db.raw('alter table model_versions drop constraint model_versions_job_source_check');
    await db.schema.alterTable('model_versions', (t) => {
      t.dropColumns('source', 'name', 'hyperparameters', 'seed', 'test_set', 'size_bytes', 'sha256', 'created_by', 'status', 'status_reason', 'active', 'accuracy', 'evaluation', 'test_predictions');
    });
  },
};
