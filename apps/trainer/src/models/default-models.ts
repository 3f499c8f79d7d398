import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from '@inkwell/logger';
import { isRefusal, listModelFolders, MANIFEST_FILE, METRICS_FILE, MODEL_FILE, readModelFolder, sha256Of } from '@inkwell/model-artifacts';
import type { ModelVersionsStore } from './model-versions.store';
import { registerSystemVersion } from './system-version';

export interface DefaultModelsDeps {
  readonly db: Knex;
  readonly versions: ModelVersionsStore;
  readonly dataDir: string;
  /** The shipped model folders (`models/` of the repository). */
  readonly modelDir: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Wakes the outbox relay, so the evaluations start at once. */
  readonly kick: () => void;
}

export interface DefaultModelsOutcome {
  readonly registered: string[];
  readonly present: string[];
  readonly refused: string[];
}

/**
 * Registers each model folder of `modelDir` (the same refusal rules as inference: valid v1.1
 * manifest, this build's preprocessing, no links) as a `builtin` version created by the system,
 * once per model.onnx (by sha256). Its files are copied under `<DATA_DIR>/models/<version>/`, so
 * the registry's artifact stays put whatever happens to the shipped folder, and an `evaluate-model`
 * job scores it on the MNIST test digits in the background. Two trainers starting together insert
 * one row per model: the loser removes its copy.
 */
export async function registerDefaultModels(deps: DefaultModelsDeps): Promise<DefaultModelsOutcome> {
  const outcome: DefaultModelsOutcome = { registered: [], present: [], refused: [] };
  for (const folder of await listModelFolders(deps.modelDir)) {
    if (deps.signal.aborted) break;
    const files = await readModelFolder(deps.modelDir, folder);
    if (isRefusal(files)) {
      deps.logger.warn({ folder, reason: files.reason }, 'default model folder refused');
      outcome.refused.push(folder);
      continue;
    }
    const sha256 = sha256Of(files.onnx);
    if (await deps.versions.findBuiltin(sha256)) {
      outcome.present.push(folder);
      continue;
    }
    const m = files.manifest;
    const inserted = await registerSystemVersion(deps, {
      source: 'builtin',
      name: m.model_id,
      family: m.arch,
      hyperparameters: m.hyperparameters ?? {},
      seed: m.training_seed,
      sha256,
      sizeBytes: files.onnx.length,
      auditAction: 'model.register_builtin',
      // metrics.json is optional in a shipped folder; the model and its manifest are not.
      writeFiles: async (dest) => {
        for (const name of [MODEL_FILE, MANIFEST_FILE, METRICS_FILE]) await copyFile(join(files.dir, name), join(dest, name)).catch((err: unknown) => { if (name !== METRICS_FILE) throw err; });
      },
    });
    (inserted ? outcome.registered : outcome.present).push(folder);
  }
  if (outcome.registered.length > 0) deps.kick();
  return outcome;
}
