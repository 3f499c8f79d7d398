/* eslint-disable @nx/enforce-module-boundaries -- the small test models come from inference's test helper, as platform.ts's does. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvSource } from '@inkwell/config';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { ensureTestModel, type TestModel } from '../../../inference/src/testing/test-model';

/*
 * "Shipped defaults" as a fresh clone has them, made of small test models: a folder per model and
 * an ensemble.json naming the default set, which the trainer registers and activates at start and
 * inference serves (from the registry, or from the folder until the registry answers).
 */

/** The first test model (inference's default test MLP). */
export const MODEL_A = 'test_mlp_small';
/** A second, different test model (another seed). */
export const MODEL_B = 'test_mlp_b';
export type ShippedModelId = typeof MODEL_A | typeof MODEL_B;

export interface ShippedModelsOptions {
  /** Prefix of the temporary folders (the test's name), to tell them apart in the temp dir. */
  readonly name: string;
  /** The model folders shipped (default both; B costs a training run the first time). */
  readonly folders?: readonly ShippedModelId[];
  /** The models ensemble.json names as the default set (default A alone). */
  readonly members?: readonly ShippedModelId[];
}

export interface ShippedModels {
  /** The platform's DATA_DIR (the registry's artifacts land here). */
  readonly dataDir: string;
  readonly defaultsDir: string;
  /**
   * The platform's environment: the trainer registers the shipped folders and activates the
   * default set; inference falls back to the same folders; the promotion gate is loosened, since
   * two small test models are a few points apart either way (the gate is tested in the trainer).
   */
  readonly env: EnvSource;
  /** Removes both folders. */
  cleanup(): void;
}

const trainedTestModel = (id: ShippedModelId): Promise<TestModel> => (id === MODEL_A ? ensureTestModel() : ensureTestModel({ modelId: MODEL_B, seed: 2 }));

/** Trains (once, cached) the test models named, and lays them out as the shipped defaults. */
export async function shippedModels(opts: ShippedModelsOptions): Promise<ShippedModels> {
  const folders = opts.folders ?? [MODEL_A, MODEL_B];
  const members = opts.members ?? [MODEL_A];
  const missing = members.filter((m) => !folders.includes(m));
  if (missing.length > 0) throw new Error(`ensemble members without a shipped folder: ${missing.join(', ')}`);
  // One after the other: the first call may train, and the cache's lock makes a second wait anyway.
  const trained = new Map<ShippedModelId, TestModel>();
  for (const id of folders) trained.set(id, await trainedTestModel(id));
  const testModel = (id: ShippedModelId): TestModel => {
    const m = trained.get(id);
    if (!m) throw new Error(`${id} is not shipped`);
    return m;
  };
  const [first] = members;
  if (!first) throw new Error('the default set needs a member');

  const dataDir = mkdtempSync(join(tmpdir(), `${opts.name}-data-`));
  const defaultsDir = mkdtempSync(join(tmpdir(), `${opts.name}-defaults-`));
  for (const id of folders) cpSync(join(testModel(id).modelDir, id), join(defaultsDir, id), { recursive: true });
  const lead = testModel(first).manifest;
  writeFileSync(
    join(defaultsDir, 'ensemble.json'),
    JSON.stringify({
      schema_version: 1,
      ensemble_id: 'e2e-default',
      combine: 'mean_probs',
      members,
      preprocess_hash: PREPROCESS_HASH,
      created_at: '2026-12-01T10:00:00.000Z',
      val_acc: lead.val_acc,
      test_acc: lead.test_acc,
      test_ece: 0.02,
      test_log_loss: 0.3,
      member_test_acc: Object.fromEntries(members.map((id) => [id, testModel(id).manifest.test_acc])),
    }),
  );
  return {
    dataDir,
    defaultsDir,
    env: {
      DATA_DIR: dataDir,
      TRAINER_REGISTER_DEFAULT_MODELS: 'true',
      TRAINER_DEFAULT_MODEL_DIR: defaultsDir,
      INFERENCE_MODEL_DIR: defaultsDir,
      TRAINER_PROMOTE_MIN_ACCURACY: '0.5',
      TRAINER_PROMOTE_MAX_DROP: '0.5',
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(defaultsDir, { recursive: true, force: true });
    },
  };
}
