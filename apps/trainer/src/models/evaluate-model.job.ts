import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EvaluateModelPayload, type EvaluateModelResult, ModelEvaluation, ModelManifest } from '@inkwell/contracts';
import { type DigitSet, subset } from '@inkwell/ml-data';
import { argmaxBytes, evaluateClassifier } from '@inkwell/ml-eval';
import { evaluateOnnx, MANIFEST_FILE, MODEL_FILE } from '@inkwell/model-artifacts';
import type { JobContext } from '@inkwell/queue';
import type { ModelVersionsStore } from './model-versions.store';
import type { TestSets } from './test-sets';

export interface EvaluateModelDeps {
  readonly versions: ModelVersionsStore;
  /** Artifact paths in the registry are relative to it. */
  readonly dataDir: string;
  readonly kick?: () => void;
  /** The digits of each version's test set: MNIST's, or an uploaded dataset's test part. */
  readonly testSets: TestSets;
}

/** Images per ONNX pass: between passes a closing worker can stop the job. */
const CHUNK = 2500;

/** The model's test-set probabilities, a chunk at a time, from its ONNX file with its manifest's input settings. */
async function scoreFile(dir: string, set: DigitSet, signal: AbortSignal | undefined): Promise<{ probs: Float32Array; manifest: ModelManifest }> {
  const manifest = ModelManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  const probs = new Float32Array(set.count * 10);
  for (let from = 0; from < set.count; from += CHUNK) {
    signal?.throwIfAborted();
    const idx = Array.from({ length: Math.min(CHUNK, set.count - from) }, (_, i) => from + i);
    const part = await evaluateOnnx(join(dir, MODEL_FILE), subset(set, idx), { normalization: manifest.normalization, inputName: manifest.input_name, outputName: manifest.output_name });
    probs.set(part, from * 10);
  }
  return { probs, manifest };
}

/**
 * `cpu` / `evaluate-model`: scores a registered version's ONNX file on its test set (the split it
 * never trained on) and stores everything the registry serves: metrics, confusion, ROC curves,
 * calibration and each image's predicted digit. A file that cannot be scored marks the version
 * `failed` with the reason (retrying would not help); database errors throw, so the queue retries.
 */
export async function evaluateModelJob(deps: EvaluateModelDeps, payload: EvaluateModelPayload, ctx: JobContext<'cpu', 'evaluate-model'>): Promise<EvaluateModelResult> {
  const id = payload.model_version_id;
  const found = await deps.versions.find(id);
  if (!found || found.view.status !== 'evaluating') return { model_version_id: id, status: 'skipped', accuracy: found?.view.accuracy ?? null };
  const v = found.view;
  const set = await deps.testSets.digits(v.test_set);
  let outcome: { evaluation: ModelEvaluation; predictions: Uint8Array } | { reason: string };
  if (!set) {
    outcome = { reason: `this trainer cannot load the test set ${v.test_set}` };
  } else {
    try {
      const started = performance.now();
      const { probs, manifest } = await scoreFile(join(deps.dataDir, v.artifact_path), set, ctx.signal);
      const report = evaluateClassifier(set.labels, probs, { split: 'test', temperature: manifest.temperature });
      outcome = { evaluation: ModelEvaluation.parse(report), predictions: argmaxBytes(probs, set.count) };
      ctx.logger.info({ model_version_id: id, accuracy: report.accuracy, seconds: (performance.now() - started) / 1000 }, 'model version evaluated');
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      outcome = { reason: err instanceof Error ? err.message : String(err) };
    }
  }
  if ('reason' in outcome) {
    ctx.logger.warn({ model_version_id: id, reason: outcome.reason }, 'model version could not be evaluated');
    await deps.versions.failEvaluation(id, outcome.reason);
    return { model_version_id: id, status: 'failed', accuracy: null };
  }
  await deps.versions.finishEvaluation(id, outcome.evaluation, outcome.predictions);
  return { model_version_id: id, status: 'ready', accuracy: outcome.evaluation.accuracy };
}
