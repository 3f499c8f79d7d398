import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * `activations`: one row per change of the set inference serves (the first activation of the
 * shipped defaults, each promotion, each rollback), never updated or deleted: the current set is
 * the newest row's `to_ids`. `model_versions` gains who deleted a version and when (soft delete).
 */
export const createModelActivations: Migration = {
  name: '20261209120000_model-activations',
  async up(db: Knex) {
    await db.schema.createTable('activations', (t) => {
      // A sequence: orders activations, and lets inference ignore an event older than its set.
      t.bigIncrements('id').primary();
      t.text('kind').notNullable().checkIn(['initial', 'promote', 'rollback']);
      t.specificType('from_ids', 'uuid[]').notNullable();
      t.specificType('to_ids', 'uuid[]').notNullable();
      t.double('from_accuracy');
      t.double('to_accuracy');
      // Null id: the system.
      t.text('actor_kind').notNullable();
      t.text('actor_id');
      t.text('actor_email');
      t.text('actor_role');
      t.text('reason');
      t.jsonb('gate');
      t.boolean('forced').notNullable().defaultTo(false);
      t.bigInteger('undoes').references('id').inTable('activations');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    // Two trainers starting together on an empty registry record the initial set once.
    await db.raw(`create unique index activations_initial_key on activations ((true)) where kind = 'initial'`);
    // A promotion is undone at most once.
    await db.raw('create unique index activations_undoes_key on activations (undoes) where undoes is not null');
    await db.raw('create index activations_created_idx on activations (created_at desc)');
    await db.schema.alterTable('model_versions', (t) => {
      t.timestamp('deleted_at', { useTz: true });
      t.text('deleted_by');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('model_versions', (t) => {
      t.dropColumns('deleted_at', 'deleted_by');
    });
    await db.schema.dropTable('activations');
  },
};
