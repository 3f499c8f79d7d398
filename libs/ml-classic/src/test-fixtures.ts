import { loadMnist, subset, toFloatBatch, type DigitSet } from '@inkwell/ml-data';
import * as ort from 'onnxruntime-node';

const range = (start: number, n: number): number[] => Array.from({ length: n }, (_, i) => start + i);

/** The first `n` MNIST training digits, and the first 1,000 test digits (fixtures drawn from the real files). */
export function mnistFixtures(n: number): { train: DigitSet; test: DigitSet; calibration: DigitSet } {
  const train = loadMnist('train');
  return { train: subset(train, range(0, n)), calibration: subset(train, range(50_000, 1000)), test: subset(loadMnist('test'), range(0, 1000)) };
}

/** Runs an exported model in onnxruntime-node on `set` through the shared `image` input and returns `probs`. */
export async function runOnnx(bytes: Uint8Array, set: DigitSet): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ image: new ort.Tensor('float32', toFloatBatch(set, range(0, set.count)), [set.count, 1, 28, 28]) });
  const probs = out.probs;
  if (!probs || probs.dims.join() !== `${set.count},10`) throw new Error('exported model has no probs [N,10] output');
  return probs.data as Float32Array;
}

export function accuracy(pred: Uint8Array, labels: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / pred.length;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
