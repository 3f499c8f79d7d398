import { MNIST_MEAN, MNIST_STD, type DataSet } from './config';

const PIXELS = 28 * 28;

/** Checks sizes once, so the hot loop can index without bounds worries. */
export function checkDataSet(d: DataSet, name: string): void {
  if (d.count <= 0) throw new Error(`${name} is empty`);
  if (d.images.length !== d.count * PIXELS) throw new Error(`${name}: ${d.images.length} pixels for ${d.count} images of 28x28`);
  if (d.labels.length !== d.count) throw new Error(`${name}: ${d.labels.length} labels for ${d.count} images`);
  for (let i = 0; i < d.count; i++) {
    const l = d.labels[i] ?? -1;
    if (!(l >= 0 && l <= 9 && Number.isInteger(l))) throw new Error(`${name}: label ${l} at ${i} is not a digit`);
  }
}

const BYTE_TO_INPUT = new Float32Array(256).map((_, v) => (v / 255 - MNIST_MEAN) / MNIST_STD);

/** Copies images `order[from..from+n)` into `out` as normalised floats (bytes are mapped through a table). */
export function fillImages(d: DataSet, order: ArrayLike<number>, from: number, n: number, out: Float32Array): void {
  const src = d.images;
  for (let b = 0; b < n; b++) {
    const i = order[from + b] ?? 0;
    const base = i * PIXELS;
    const dst = b * PIXELS;
    if (src instanceof Uint8Array) {
      for (let p = 0; p < PIXELS; p++) out[dst + p] = BYTE_TO_INPUT[src[base + p] ?? 0] ?? 0;
    } else {
      out.set(src.subarray(base, base + PIXELS), dst);
    }
  }
}

export function gatherLabels(d: DataSet, order: ArrayLike<number>, from: number, n: number, out: Uint8Array): void {
  for (let b = 0; b < n; b++) out[b] = d.labels[order[from + b] ?? 0] ?? 0;
}

/** Number of rows of `logits` [n, classes] whose argmax equals the label. */
export function countCorrect(logits: Float32Array, labels: ArrayLike<number>, n: number, classes: number): number {
  let correct = 0;
  for (let r = 0; r < n; r++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logits[r * classes + c] ?? -Infinity;
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    if (best === labels[r]) correct++;
  }
  return correct;
}
