import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { MANIFEST_SCHEMA_VERSION, MNIST_NORMALIZATION, ModelManifest, type PresetModelName } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import type { Logger } from '@inkwell/logger';
import { exportOnnx, initialWeights, PRESET_MODELS } from '@inkwell/ml';
import { MANIFEST_FILE, MODEL_FILE, sha256Of } from '@inkwell/model-artifacts';
import type { ModelVersionsStore } from './model-versions.store';
import { registerSystemVersion } from './system-version';

/** The initialisation seed of every preset's untrained weights: what a training run with seed 0 starts from. */
export const PRESET_SEED = 0;

export interface PresetModelsDeps {
  readonly db: Knex;
  readonly versions: ModelVersionsStore;
  readonly dataDir: string;
  /** Which presets to register (`TRAINER_PRESETS`). */
  readonly presets: readonly PresetModelName[];
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Wakes the outbox relay, so the evaluations start at once. */
  readonly kick: () => void;
}

export interface PresetModelsOutcome {
  readonly registered: string[];
  readonly present: string[];
}

/** A preset's untrained model as the registry stores it: the ONNX file and its manifest. */
export function presetArtifact(name: PresetModelName, now: Date): { onnx: Uint8Array; manifest: ModelManifest } {
  const preset = PRESET_MODELS[name];
  const onnx = exportOnnx({ arch: preset.arch, weights: initialWeights(preset.arch, PRESET_SEED) }, { metadata: { preset: name, trained: 'false' } });
  const manifest = ModelManifest.parse({
    schema_version: MANIFEST_SCHEMA_VERSION,
    model_id: `preset-${name}`,
    arch: name,
    n_classes: 10,
    version: '0.0.0',
    created_at: now.toISOString(),
    preprocess_hash: PREPROCESS_HASH,
    // Untrained: no validation accuracy worth the name; the registry's evaluation gives the test one (about 10 %).
    val_acc: 0,
    temperature: 1,
    training_recipe: `preset:${name}:untrained`,
    training_seed: PRESET_SEED,
    training_epochs: 0,
    test_acc: null,
    recipe_hash: sha256Of(onnx),
    normalization: MNIST_NORMALIZATION,
    hyperparameters: { preset: name, trained: false, arch: preset.arch },
  });
  return { onnx, manifest };
}

/**
 * Registers each configured preset's seeded, untrained weights as a `preset` version created by
 * the system, once per model.onnx (by sha256: the same code and seed give the same bytes, so a
 * restart finds it registered), under `<DATA_DIR>/models/<version>/`. An `evaluate-model` job
 * scores it on the MNIST test digits like a builtin (about 10 %, as an untrained net reads).
 * Two trainers starting together insert one row: the loser removes its copy.
 */
export async function registerPresetModels(deps: PresetModelsDeps): Promise<PresetModelsOutcome> {
  const outcome: PresetModelsOutcome = { registered: [], present: [] };
  for (const name of deps.presets) {
    if (deps.signal.aborted) break;
    const { onnx, manifest } = presetArtifact(name, new Date());
    const sha256 = sha256Of(onnx);
    if (await deps.versions.findPreset(sha256)) {
      outcome.present.push(name);
      continue;
    }
    const inserted = await registerSystemVersion(deps, {
      source: 'preset',
      name,
      family: name,
      hyperparameters: manifest.hyperparameters ?? {},
      seed: PRESET_SEED,
      sha256,
      sizeBytes: onnx.length,
      auditAction: 'model.register_preset',
      writeFiles: async (dest) => {
        await writeFile(join(dest, MODEL_FILE), onnx);
        await writeFile(join(dest, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      },
    });
    (inserted ? outcome.registered : outcome.present).push(name);
  }
  if (outcome.registered.length > 0) deps.kick();
  return outcome;
}
