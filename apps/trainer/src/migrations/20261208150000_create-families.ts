import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/** The families the trainer shipped with when this table was made: each registered from the start. */
const FIRST_FAMILIES = ['svm', 'random_forest', 'mlp', 'cnn', 'resnet'];

/**
 * The model families the platform knows. Every trainer start reconciles the families in its code
 * with these rows (apps/trainer/src/families/families.service.ts): a row whose family the code
 * lacks becomes `unavailable`; a family in code without a row stays untrainable until an admin
 * registers it. A family is never deleted: old jobs and models still name it.
 */
export const createFamilies: Migration = {
  name: '20261208150000_create-families',
  async up(db: Knex) {
    await db.schema.createTable('families', (t) => {
      t.text('name').primary();
      t.text('status').notNullable().checkIn(['available', 'unavailable']);
      t.timestamp('registered_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
      // Null: registered by the migration, not by a person.
      t.uuid('registered_by');
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    await db('families').insert(FIRST_FAMILIES.map((name) => ({ name, status: 'available' })));
  },
  async down(db: Knex) {
    await db.schema.dropTable('families');
  },
};
