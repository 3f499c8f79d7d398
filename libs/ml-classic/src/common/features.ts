import type { DigitSet } from '@inkwell/ml-data';

export const PIXELS = 784;
export const NUM_CLASSES = 10;

/** SVM features: pixel / 255, row-major [N, 784]. */
export function unitFeatures(set: DigitSet): Float32Array {
  if (set.rows * set.cols !== PIXELS) throw new RangeError(`expected 28x28 digits, got ${set.rows}x${set.cols}`);
  const out = new Float32Array(set.count * PIXELS);
  for (let i = 0; i < out.length; i++) out[i] = (set.pixels[i] as number) / 255;
  return out;
}

export function argmax(row: ArrayLike<number>, offset = 0, length = row.length - offset): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k < length; k++) {
    const v = row[offset + k] as number;
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}

/** Row-wise argmax of a flat [N, K] matrix. */
export function predictedLabels(probs: ArrayLike<number>, numClasses = NUM_CLASSES): Uint8Array {
  const n = probs.length / numClasses;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = argmax(probs, i * numClasses, numClasses);
  return out;
}
