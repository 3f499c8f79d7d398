import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MNIST_NORMALIZATION, ModelManifest } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { type Progress, TrainingCancelled, exportOnnx, predictLogits, train } from '@inkwell/ml';
import type { ExecutionProvider } from '@inkwell/onnx';
import { exportForestOnnx, exportSvmOnnx, fitForest, fitSvm } from '@inkwell/ml-classic';
import type { DigitSet } from '@inkwell/ml-data';
import { argmaxBytes, expectedCalibrationError, evaluateClassifier, fitTemperature, logitsFromProbs, logLoss, type TemperatureFit } from '@inkwell/ml-eval';
import { type Artifact, writeArtifact } from './artifact-store';
import { latestCheckpoint } from './checkpoints';
import type { DataSource } from './data-source';
import { evaluateOnnx } from './evaluate-onnx';
import { type NetRecipe, type Recipe, type RecipeInput, Recipe as RecipeSchema, recipeHash, recipeHyperparameters } from './recipe';
import { accuracyOf, untemper } from './probs';

export interface TrainRecipeOptions {
  /** The digits to train on, calibrate on (validation) and score (test); `mnistSource(recipe.data)` for MNIST. */
  readonly source: DataSource;
  /** Artifacts go to `<outDir>/<modelId>/`. */
  readonly outDir: string;
  /** Default: `<recipe name>`. */
  readonly modelId?: string;
  readonly version?: string;
  readonly parentModelId?: string | null;
  /** Nets: write a checkpoint per epoch here and resume from the newest one found. */
  readonly checkpointDir?: string;
  /** Nets: one ORT thread, bit-identical weights for a seed on the same machine. */
  readonly deterministic?: boolean;
  readonly threads?: number;
  /**
   * Nets train, and every model is scored, on this execution provider when this machine has it,
   * else on CPU with one log line (default `cpu`). The trainer's `gpu` queue passes `cuda`.
   */
  readonly provider?: ExecutionProvider;
  readonly onProgress?: (p: Progress) => void;
  readonly log?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Clock for `created_at` (tests pin it). */
  readonly now?: () => Date;
}

export interface TrainRecipeResult {
  readonly artifact: Artifact;
  readonly trainSeconds: number;
}

interface Exportable {
  /** The inference graph with softmax(logits / T) as `probs`. */
  onnx(temperature: number): Uint8Array;
  readonly temperature: TemperatureFit;
  readonly epochs: number;
  /** Nets: the sum of the epochs' times, including epochs run before a resume. */
  readonly trainSeconds?: number;
}

const asDataSet = (s: DigitSet): { images: Uint8Array; labels: Uint8Array; count: number } => ({ images: s.pixels, labels: s.labels, count: s.count });

async function trainNet(r: NetRecipe, train_: DigitSet, validation: DigitSet, o: TrainRecipeOptions): Promise<Exportable> {
  const resumeFrom = o.checkpointDir ? latestCheckpoint(o.checkpointDir) : undefined;
  if (resumeFrom) o.log?.(`resuming from ${resumeFrom}`);
  const model = await train({
    arch: r.arch,
    optimizer: r.optimizer,
    schedule: r.schedule,
    epochs: r.epochs,
    batchSize: r.batchSize,
    seed: r.seed,
    labelSmoothing: r.labelSmoothing,
    augment: r.augment,
    earlyStopping: r.earlyStopping,
    deterministic: o.deterministic ?? false,
    threads: o.threads ?? 2,
    cuda: o.provider === 'cuda',
    data: asDataSet(train_),
    validation: asDataSet(validation),
    onProgress: o.onProgress,
    signal: o.signal,
    checkpointDir: o.checkpointDir,
    resumeFrom,
  });
  // Temperature from the engine's own logits on the validation digits (inference-mode forward).
  const logits = await predictLogits(model, validation.pixels, validation.count);
  return { onnx: (t) => exportOnnx(model, { temperature: t }), temperature: fitTemperature(validation.labels, logits), epochs: model.epoch, trainSeconds: model.history.reduce((sum, h) => sum + h.seconds, 0) };
}

/** Classic models give probabilities, not logits: fit T on log(p) of the T = 1 export, run in ORT. */
async function classicTemperature(onnxAtT1: Uint8Array, validation: DigitSet, signal: AbortSignal | undefined): Promise<TemperatureFit> {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-t1-'));
  try {
    const path = join(dir, 'model.onnx');
    writeFileSync(path, onnxAtT1);
    const probs = await evaluateOnnx(path, validation, { signal });
    return fitTemperature(validation.labels, logitsFromProbs(probs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function trainModel(r: Recipe, train_: DigitSet, validation: DigitSet, o: TrainRecipeOptions): Promise<Exportable> {
  const log = o.log ?? (() => undefined);
  switch (r.family) {
    // The classic fits are one synchronous computation each: in a worker thread, which `signal` terminates.
    case 'svm': {
      const rep = await fitSvm(train_, { ...r.params, seed: r.seed }, { log, signal: o.signal });
      const onnx = (t: number): Uint8Array => exportSvmOnnx(rep.model, { temperature: t });
      return { onnx, temperature: await classicTemperature(onnx(1), validation, o.signal), epochs: 1 };
    }
    case 'random_forest': {
      const rep = await fitForest(train_, { ...r.params, seed: r.seed }, { log, signal: o.signal });
      const onnx = (t: number): Uint8Array => exportForestOnnx(rep.model, { temperature: t });
      return { onnx, temperature: await classicTemperature(onnx(1), validation, o.signal), epochs: 1 };
    }
    default:
      return trainNet(r, train_, validation, o);
  }
}

/**
 * Runs one recipe end to end on the source's digits: train, fit the temperature on the validation
 * split, export the ONNX graph with it, then score THE FILE with onnxruntime-node on the validation
 * and test splits, and write `<outDir>/<modelId>/{model.onnx, manifest.json, metrics.json}` atomically.
 */
export async function trainRecipe(input: RecipeInput | Recipe, o: TrainRecipeOptions): Promise<TrainRecipeResult> {
  const recipe = RecipeSchema.parse(input);
  const modelId = o.modelId ?? recipe.name;
  const { train: trainSet, validation, test } = await o.source.load();
  o.log?.(`${modelId}: ${recipe.family}, ${trainSet.count} training, ${validation.count} validation and ${test.count} test digits from ${o.source.name}`);
  const started = performance.now();
  const trained = await trainModel(recipe, trainSet, validation, o);
  // After training, a cancel stops the scoring between two batches (evaluateOnnx checks it too).
  if (o.signal?.aborted) throw new TrainingCancelled('training was cancelled');
  const trainSeconds = trained.trainSeconds ?? (performance.now() - started) / 1000;
  const T = trained.temperature.temperature;
  const onnx = trained.onnx(T);

  const evalStarted = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-eval-'));
  let valProbs: Float32Array, testProbs: Float32Array;
  try {
    const path = join(scratch, 'model.onnx');
    writeFileSync(path, onnx);
    // Two sessions, one fallback line: the second would only repeat the first.
    let told = false;
    const logOnce = (m: string): void => {
      if (!told) o.log?.(m);
      told = true;
    };
    const run = { provider: o.provider, log: logOnce, signal: o.signal };
    valProbs = await evaluateOnnx(path, validation, run);
    testProbs = await evaluateOnnx(path, test, run);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const evaluateSeconds = (performance.now() - evalStarted) / 1000;
  const report = evaluateClassifier(test.labels, testProbs, { split: 'test', temperature: T });
  const eceBefore = expectedCalibrationError(test.labels, untemper(testProbs, T)).ece;

  const now = (o.now ?? (() => new Date()))();
  const manifest = ModelManifest.parse({
    schema_version: '1.1',
    model_id: modelId,
    arch: recipe.family,
    n_classes: 10,
    version: o.version ?? '1.0.0',
    created_at: now.toISOString(),
    preprocess_hash: PREPROCESS_HASH,
    val_acc: accuracyOf(validation.labels, valProbs),
    temperature: T,
    training_recipe: recipe.name,
    training_seed: recipe.seed,
    training_epochs: trained.epochs,
    test_acc: report.accuracy,
    recipe_hash: recipeHash(recipe),
    parent_model_id: o.parentModelId ?? null,
    normalization: MNIST_NORMALIZATION,
    hyperparameters: recipeHyperparameters(recipe),
  });
  const artifact = await writeArtifact(o.outDir, {
    onnx,
    manifest,
    // The registry keeps each test image's prediction (McNemar between two versions needs them).
    testPredictions: argmaxBytes(testProbs, test.count),
    metrics: {
      ...report,
      model_id: modelId,
      validation: {
        count: validation.count,
        accuracy: manifest.val_acc,
        log_loss: logLoss(validation.labels, valProbs),
        ece: expectedCalibrationError(validation.labels, valProbs).ece,
      },
      calibration: {
        temperature: T,
        validation_nll_before: trained.temperature.nllBefore,
        validation_nll_after: trained.temperature.nllAfter,
        test_ece_before: eceBefore,
        test_ece_after: report.ece,
      },
      timings: { train_seconds: trainSeconds, evaluate_seconds: evaluateSeconds },
    },
  });
  return { artifact, trainSeconds };
}
