import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MANIFEST_SCHEMA_VERSION, MNIST_NORMALIZATION, ModelManifest } from '@inkwell/contracts';
import { PREPROCESS_HASH, preprocessGray } from '@inkwell/imaging';
import { type ArchConfig, exportOnnx, train } from '@inkwell/ml';
import { type DigitSet, digitAt, loadMnist } from '@inkwell/ml-data';

export interface TestModelOptions {
  readonly modelId?: string;
  readonly arch?: ArchConfig;
  /** MNIST training digits used (one pass each); validation uses the next 1,000. */
  readonly samples?: number;
  readonly epochs?: number;
  readonly seed?: number;
}

export interface TestModel {
  /** A model directory holding `<modelId>/{model.onnx, manifest.json, metrics.json}`. */
  readonly modelDir: string;
  readonly modelId: string;
  readonly onnx: Uint8Array;
  readonly manifest: ModelManifest;
}

// An MLP: on 2 shared cores it reaches ~90 % in a few seconds, where a CNN needs several times longer.
const DEFAULTS = { modelId: 'test_mlp_small', arch: { kind: 'mlp', hidden: [128], activation: 'relu', dropout: 0 } as ArchConfig, samples: 6000, epochs: 3, seed: 1 };

/** MNIST digits through the same pixel pipeline inference uses (parity), normalised. */
function prepared(set: DigitSet, start: number, n: number): Float32Array {
  const out = new Float32Array(n * 784);
  const { mean, std } = MNIST_NORMALIZATION;
  for (let i = 0; i < n; i++) {
    const px = preprocessGray({ data: digitAt(set, start + i), width: 28, height: 28 }, { invert: true, center: true }).pixels;
    for (let j = 0; j < 784; j++) out[i * 784 + j] = ((px[j] ?? 0) - mean) / std;
  }
  return out;
}

async function accuracy(onnx: Uint8Array, images: Float32Array, labels: ArrayLike<number>, n: number): Promise<number> {
  const session = await ort.InferenceSession.create(onnx);
  try {
    const out = await session.run({ image: new ort.Tensor('float32', images, [n, 1, 28, 28]) });
    const probs = out.probs?.data;
    if (!(probs instanceof Float32Array)) throw new Error('model has no float32 probs output');
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
    }
    return correct / n;
  } finally {
    await session.release();
  }
}

/** Writes a model folder (the layout the trainer produces). */
/** Writes a model folder, named after the model id unless `folder` says otherwise. */
export async function writeModelFolder(modelDir: string, onnx: Uint8Array, manifest: ModelManifest, folder = manifest.model_id, metrics: Record<string, unknown> = {}): Promise<void> {
  const dir = join(modelDir, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), onnx);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
}

async function build(opts: typeof DEFAULTS, modelDir: string): Promise<void> {
  const trainSet = loadMnist('train');
  const testSet = loadMnist('test');
  const images = prepared(trainSet, 0, opts.samples);
  const model = await train({
    arch: opts.arch,
    optimizer: { kind: 'adam', lr: 0.002 },
    epochs: opts.epochs,
    batchSize: 32,
    seed: opts.seed,
    data: { images, labels: trainSet.labels.subarray(0, opts.samples), count: opts.samples },
  });
  const onnx = exportOnnx(model, { temperature: 1 });
  const valAcc = await accuracy(onnx, prepared(trainSet, opts.samples, 1000), trainSet.labels.subarray(opts.samples, opts.samples + 1000), 1000);
  const testAcc = await accuracy(onnx, prepared(testSet, 0, 1000), testSet.labels.subarray(0, 1000), 1000);
  const recipe = JSON.stringify({ arch: opts.arch, samples: opts.samples, epochs: opts.epochs });
  await writeModelFolder(
    modelDir,
    onnx,
    {
      schema_version: MANIFEST_SCHEMA_VERSION,
      model_id: opts.modelId,
      arch: opts.arch.kind,
      n_classes: 10,
      version: '0.0.1-test',
      created_at: new Date().toISOString(),
      preprocess_hash: PREPROCESS_HASH,
      val_acc: valAcc,
      temperature: 1,
      training_recipe: `test fixture: ${recipe}`,
      training_seed: opts.seed,
      training_epochs: opts.epochs,
      test_acc: testAcc,
      recipe_hash: createHash('sha256').update(recipe).digest('hex').slice(0, 16),
      parent_model_id: null,
      normalization: MNIST_NORMALIZATION,
      input_name: 'image',
      output_name: 'probs',
    },
    opts.modelId,
    { val_acc: valAcc, test_acc_first_1000: testAcc },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small real model for tests: trained with @inkwell/ml on a few thousand MNIST digits prepared by
 * this service's own pipeline, exported to ONNX, with a v1.1 manifest carrying PREPROCESS_HASH.
 * Cached under the OS temp dir by its recipe and the pipeline hash (test files running at the same
 * time wait for one another instead of training twice).
 */
export async function ensureTestModel(options: TestModelOptions = {}): Promise<TestModel> {
  const opts = { ...DEFAULTS, ...options };
  const key = createHash('sha256').update(JSON.stringify({ ...opts, PREPROCESS_HASH })).digest('hex').slice(0, 16);
  const root = join(tmpdir(), 'inkwell-test-models');
  const modelDir = join(root, key);
  const lock = `${modelDir}.lock`;
  mkdirSync(root, { recursive: true });
  for (const started = Date.now(); !existsSync(join(modelDir, opts.modelId, 'manifest.json')); ) {
    if (Date.now() - started > 300_000) throw new Error(`test model ${key}: timed out waiting for ${lock}`);
    try {
      mkdirSync(lock);
    } catch {
      // Another process trains it; a lock older than 5 minutes belongs to a process that died.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      const staging = `${modelDir}.staging-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await build(opts, staging);
      await rename(staging, modelDir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const manifest = ModelManifest.parse(JSON.parse(await readFile(join(modelDir, opts.modelId, 'manifest.json'), 'utf8')));
  const onnx = new Uint8Array(await readFile(join(modelDir, opts.modelId, 'model.onnx')));
  return { modelDir, modelId: opts.modelId, onnx, manifest };
}
