import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * A benchmark's apply (issue 23) is an activation too: kind `apply`, with the engine settings the
 * set runs with from then on (`engine`) and the ones it ran with before (`from_engine`), so a
 * rollback restores the files and threads that served, not only the versions. Null: inference's
 * configured defaults on the float32 files.
 */
export const addActivationEngines: Migration = {
  name: '20261230120000_activation-engines',
  async up(db: Knex) {
    // knex named the kind check after the column (PostgreSQL's default name); found, not assumed.
    const checks = await db.raw<{ rows: { conname: string }[] }>(
      `select conname from pg_constraint where conrelid = 'activations'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'`,
    );
    for (const { conname } of checks.rows) await db.raw('alter table activations drop constraint ??', [conname]);
    await db.raw(`alter table activations add constraint activations_kind_check check (kind in ('initial', 'promote', 'rollback', 'apply'))`);
    await db.schema.alterTable('activations', (t) => {
      t.jsonb('engine');
      t.jsonb('from_engine');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('activations', (t) => {
      t.dropColumns('engine', 'from_engine');
    });
    await db.raw('alter table activations drop constraint activations_kind_check');
    await db.raw(`alter table activations add constraint activations_kind_check check (kind in ('initial', 'promote', 'rollback'))`);
  },
};
