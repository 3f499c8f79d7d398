import type { Knex } from 'knex';
import type { Migration } from '@inkwell/db';

/**
 * One live preset version per model.onnx, not one ever: the index covered deleted rows too, so a
 * deleted preset's bytes could never be registered again (the insert was ignored on the conflict
 * and the start-up logged it as present). Deleted rows stay (soft delete) outside the index.
 */
export const presetIndexLiveRows: Migration = {
  name: '20261231130000_preset-index-live-rows',
  async up(db: Knex) {
    await db.raw('drop index model_versions_preset_sha256_key');
    await db.raw(`create unique index model_versions_preset_sha256_key on model_versions (sha256) where source = 'preset' and status <> 'deleted'`);
  },
  async down(db: Knex) {
    await db.raw('drop index model_versions_preset_sha256_key');
    await db.raw(`create unique index model_versions_preset_sha256_key on model_versions (sha256) where source = 'preset'`);
  },
};
