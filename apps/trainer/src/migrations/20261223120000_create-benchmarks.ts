import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * Benchmarks (issue 23): one row per benchmark, its request and everything it measured. The
 * per-engine results (raw samples included) are one JSON document: they are written once per
 * engine and always read whole, by the API and the report service.
 */
export const createBenchmarks: Migration = {
  name: '20261223120000_create-benchmarks',
  async up(db: Knex) {
    await db.schema.createTable('benchmarks', (t) => {
      t.uuid('id').primary();
      t.uuid('owner_id');
      t.text('status').notNullable().checkIn(['queued', 'running', 'completed', 'failed']);
      t.text('error');
      // The request as parsed (defaults applied); `model_version_id` as sent (a uuid or `active`).
      t.jsonb('request').notNullable();
      // The versions resolved at creation (an ensemble's members, in serving order) and their names.
      t.jsonb('model_version_ids').notNullable();
      t.jsonb('model_names').notNullable();
      t.text('test_set').notNullable();
      t.jsonb('machine');
      t.jsonb('progress').notNullable();
      // BenchmarkEngineResult[], each cell with its raw samples.
      t.jsonb('engines').notNullable().defaultTo('[]');
      t.jsonb('constraints').notNullable().defaultTo('[]');
      t.jsonb('selection');
      t.jsonb('applied');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp('started_at', { useTz: true });
      t.timestamp('finished_at', { useTz: true });
    });
    await db.raw('create index benchmarks_created_idx on benchmarks (created_at desc)');
  },
  async down(db: Knex) {
    await db.schema.dropTable('benchmarks');
  },
};
