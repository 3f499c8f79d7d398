import { z } from 'zod';
import type { DigitSet } from './idx';

/** The input normalisation every Inkwell model shares (MNIST's pixel mean and std on [0,1]). */
export const Normalization = z.object({ mean: z.number(), std: z.number().positive() });
export type Normalization = z.infer<typeof Normalization>;
export const MNIST_NORMALIZATION: Normalization = { mean: 0.1307, std: 0.3081 };

/**
 * The model input tensor for the digits at `indices`: float32 [n, 1, 28, 28] with
 * x = (pixel / 255 - mean) / std.
 */
export function toFloatBatch(set: DigitSet, indices: ArrayLike<number>, norm: Normalization = MNIST_NORMALIZATION): Float32Array {
  const size = set.rows * set.cols;
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v / 255 - norm.mean) / norm.std;
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!(i >= 0 && i < set.count)) throw new RangeError(`index ${i} outside 0..${set.count - 1}`);
    const src = set.pixels.subarray(i * size, (i + 1) * size);
    const base = k * size;
    for (let p = 0; p < size; p++) out[base + p] = lut[src[p] as number] as number;
  }
  return out;
}

/** A copy of the digits at `indices`, in that order. */
export function subset(set: DigitSet, indices: ArrayLike<number>): DigitSet {
  const size = set.rows * set.cols;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!(i >= 0 && i < set.count)) throw new RangeError(`index ${i} outside 0..${set.count - 1}`);
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i] as number;
  }
  return { count: indices.length, rows: set.rows, cols: set.cols, pixels, labels };
}
