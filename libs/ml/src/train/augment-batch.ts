import { type AugmentOptions, Rng as DataRng, augmentDigit } from '@inkwell/ml-data';
import { MNIST_MEAN, MNIST_STD, type DataSet } from './config';

const PIXELS = 28 * 28;

/**
 * Warps every training image afresh each time it is drawn (shifts, rotation, scale, optional
 * elastic; @inkwell/ml-data's augmentDigit). The generator is re-seeded from (seed, epoch) at the
 * start of each epoch, so a run resumed from a checkpoint sees the same warps as one never stopped.
 */
export class BatchAugmenter {
  private rng = new DataRng(0);
  private readonly warped = new Uint8Array(PIXELS);
  private readonly byteToInput = new Float32Array(256).map((_, v) => (v / 255 - MNIST_MEAN) / MNIST_STD);

  constructor(
    private readonly options: AugmentOptions,
    private readonly seed: number,
  ) {}

  startEpoch(epoch: number): void {
    this.rng = new DataRng((Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(epoch, 0x85ebca6b)) >>> 0);
  }

  /** Like fillImages, for MNIST bytes only (warping normalised floats would change their meaning at the border). */
  fill(d: DataSet, order: ArrayLike<number>, from: number, n: number, out: Float32Array): void {
    const src = d.images;
    if (!(src instanceof Uint8Array)) throw new Error('augmentation needs images as MNIST bytes (Uint8Array)');
    for (let b = 0; b < n; b++) {
      const i = order[from + b] ?? 0;
      augmentDigit(src.subarray(i * PIXELS, (i + 1) * PIXELS), this.warped, this.rng, this.options);
      const dst = b * PIXELS;
      for (let p = 0; p < PIXELS; p++) out[dst + p] = this.byteToInput[this.warped[p] ?? 0] ?? 0;
    }
  }
}
