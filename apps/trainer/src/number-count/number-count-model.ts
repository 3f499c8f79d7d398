import { digitCountSamples, type DigitCountSamples, PREPROCESS_HASH } from '@inkwell/imaging';
import { exportOnnx, MNIST_MEAN, MNIST_STD, type Progress, train } from '@inkwell/ml';
import { loadMnist } from '@inkwell/ml-data';
import { canonicalJson, DigitCountManifest, sha256Hex, sha256Of } from '@inkwell/model-artifacts';

/**
 * How the digit-count model is made: generated numbers (every one with a touching pair) of MNIST
 * *training* digits, so the benches and tests, which draw MNIST test digits, never see its
 * examples; the numbers of one more seed validate it (other numbers, but drawn from the same
 * training digits). A small CNN, trained with one ORT thread: the same recipe gives the same bytes
 * on the same machine.
 */
export const NUMBER_COUNT_RECIPE = {
  model_id: 'number-count-v1',
  digits: 'mnist-train',
  train_seeds: [101, 102, 103, 104, 105, 106, 107, 108],
  val_seed: 201,
  numbers_per_seed: 500,
  touching_out_of_5: 5,
  arch: { kind: 'cnn', filters: [16, 32], kernel: 3, dense: [64], dropout: 0, batchNorm: false },
  optimizer: { kind: 'adam', lr: 2e-3 },
  schedule: { kind: 'cosine' },
  epochs: 8,
  batch_size: 64,
  seed: 1,
} as const;
/** The recipe's shape, with the sizes free (a test builds a small one). */
export type NumberCountRecipe = Omit<typeof NUMBER_COUNT_RECIPE, 'train_seeds' | 'numbers_per_seed' | 'epochs'> & { readonly train_seeds: readonly number[]; readonly numbers_per_seed: number; readonly epochs: number };

// As MNIST bytes, the trainer's input: rounding to 1/255 is far below what tells the classes apart.
const asDataSet = (s: DigitCountSamples): { images: Uint8Array; labels: Uint8Array; count: number } => {
  const images = new Uint8Array(s.pixels.length * 784);
  s.pixels.forEach((p, i) => p.forEach((v, j) => (images[i * 784 + j] = Math.round(Math.min(1, Math.max(0, v)) * 255))));
  return { images, labels: Uint8Array.from(s.labels), count: s.labels.length };
};

/** Trains the digit-count model from `recipe`: its ONNX bytes and manifest. */
export async function buildNumberCountModel(recipe: NumberCountRecipe, onProgress?: (p: Progress) => void): Promise<{ onnx: Uint8Array; manifest: DigitCountManifest }> {
  const digits = loadMnist('train');
  const trainSet = await digitCountSamples(digits, recipe.train_seeds, recipe.numbers_per_seed, recipe.touching_out_of_5);
  const valSet = await digitCountSamples(digits, [recipe.val_seed], recipe.numbers_per_seed, recipe.touching_out_of_5);
  const model = await train({
    arch: { ...recipe.arch, filters: [...recipe.arch.filters], dense: [...recipe.arch.dense] },
    optimizer: recipe.optimizer,
    schedule: recipe.schedule,
    epochs: recipe.epochs,
    batchSize: recipe.batch_size,
    seed: recipe.seed,
    deterministic: true,
    threads: 1,
    augment: null,
    data: asDataSet(trainSet),
    validation: asDataSet(valSet),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const onnx = exportOnnx(model, { metadata: { model_id: recipe.model_id, purpose: 'digit-count' } });
  const last = model.history[model.history.length - 1];
  const manifest = DigitCountManifest.parse({
    schema_version: 1,
    model_id: recipe.model_id,
    classes: ['fragment', 'one', 'two', 'three_or_more'],
    normalization: { mean: MNIST_MEAN, std: MNIST_STD },
    recipe,
    recipe_hash: sha256Hex(canonicalJson(recipe)),
    preprocess_hash: PREPROCESS_HASH,
    val_accuracy: last?.valAccuracy ?? 0,
    examples: { train: trainSet.labels.length, val: valSet.labels.length },
    onnx_sha256: sha256Of(onnx),
  });
  return { onnx, manifest };
}
