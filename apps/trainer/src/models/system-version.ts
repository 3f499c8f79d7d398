import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { MNIST_OFFICIAL_SPLIT } from '@inkwell/datasets';
import { auditRecorder } from '@inkwell/outbox';
import type { ModelVersionsStore } from './model-versions.store';

const recordAudit = auditRecorder('trainer');

export interface SystemVersionDeps {
  readonly db: Knex;
  readonly versions: ModelVersionsStore;
  readonly dataDir: string;
}

/** A version the trainer registers by itself at start: a shipped default model (`builtin`) or a preset. */
export interface SystemVersion {
  readonly source: 'builtin' | 'preset';
  readonly name: string;
  readonly family: string;
  readonly hyperparameters: Record<string, unknown>;
  readonly seed: number | null;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The audit action recorded with the row (`model.register_builtin`, `model.register_preset`). */
  readonly auditAction: string;
  /** Writes the version's files into `dest`, its folder under the data directory (already made). */
  readonly writeFiles: (dest: string) => Promise<void>;
}

/**
 * Copies a system version's files under `<DATA_DIR>/models/<id>/` and inserts its row, scored on
 * MNIST's official test set like every shipped model, with its audit event in the same transaction.
 * False when another trainer starting at the same time inserted it first (by sha256): this copy of
 * its files is removed. A failure removes them too, so no folder outlives a row that never landed.
 */
export async function registerSystemVersion(deps: SystemVersionDeps, v: SystemVersion): Promise<boolean> {
  const id = randomUUID();
  const artifactPath = join('models', id);
  const dest = join(deps.dataDir, artifactPath);
  await mkdir(dest, { recursive: true });
  try {
    await v.writeFiles(dest);
    const inserted = await deps.db.transaction(async (trx) => {
      const ok = await deps.versions.insertUntrained(trx, {
        id,
        source: v.source,
        name: v.name,
        family: v.family,
        hyperparameters: v.hyperparameters,
        seed: v.seed,
        datasetId: 'mnist',
        split: { id: 'mnist-official', ...MNIST_OFFICIAL_SPLIT, train_limit: null },
        testSet: 'mnist:test',
        artifactPath,
        sizeBytes: v.sizeBytes,
        sha256: v.sha256,
        createdBy: null,
      });
      if (ok) await recordAudit(trx, { action: v.auditAction, actor: { kind: 'system' }, target: { type: 'model_version', id }, details: { name: v.name, sha256: v.sha256 } });
      return ok;
    });
    if (!inserted) await rm(dest, { recursive: true, force: true });
    return inserted;
  } catch (err) {
    await rm(dest, { recursive: true, force: true });
    throw err;
  }
}
