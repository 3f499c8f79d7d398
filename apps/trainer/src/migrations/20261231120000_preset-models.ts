import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

const PRESET_FAMILIES = ['lenet5', 'resnet18'];

/**
 * Preset models (issue 23, FR1.2): the registry gets a `preset` source for the versions holding a
 * preset architecture's seeded, untrained weights (registered at start, once per model.onnx sha256,
 * like the builtins), and the presets' training families are registered from the start.
 */
export const addPresetModels: Migration = {
  name: '20261231120000_preset-models',
  async up(db: Knex) {
    // knex named the source check after the column; found by its list of sources, not assumed (the
    // job/source check mentions `source` too).
    const checks = await db.raw<{ rows: { conname: string }[] }>(
      `select conname from pg_constraint where conrelid = 'model_versions'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%''imported''%'`,
    );
    for (const { conname } of checks.rows) await db.raw('alter table model_versions drop constraint ??', [conname]);
    await db.raw(`alter table model_versions add constraint model_versions_source_check check (source in ('trained', 'builtin', 'imported', 'preset'))`);
    // Two trainers starting together register each preset's weights once.
    await db.raw(`create unique index model_versions_preset_sha256_key on model_versions (sha256) where source = 'preset'`);
    await db('families').insert(PRESET_FAMILIES.map((name) => ({ name, status: 'available' }))).onConflict('name').ignore();
  },
  async down(db: Knex) {
    await db.raw('drop index model_versions_preset_sha256_key');
    await db.raw('alter table model_versions drop constraint model_versions_source_check');
    await db.raw(`alter table model_versions add constraint model_versions_source_check check (source in ('trained', 'builtin', 'imported'))`);
  },
};
