import { z } from 'zod';
import type { DigitSet } from './idx';
import type { Rng } from './prng';

export const ElasticOptions = z.object({
  /** Displacement amplitude in pixels (standard deviation of each control-point displacement). */
  alpha: z.number().min(0).max(8).default(1.5),
  /** Smoothness: spacing of the random control grid in pixels. Larger = smoother, broader bends. */
  sigma: z.number().min(2).max(14).default(5),
});
export type ElasticOptions = z.infer<typeof ElasticOptions>;

export const AugmentOptions = z.object({
  /** Uniform shift in [-maxShift, maxShift] pixels along each axis. */
  maxShift: z.number().min(0).max(8).default(2),
  /** Uniform rotation in [-maxRotationDeg, maxRotationDeg] degrees about the image centre. */
  maxRotationDeg: z.number().min(0).max(45).default(10),
  /** Uniform isotropic scale factor in [min, max]. */
  scaleRange: z
    .tuple([z.number().min(0.5).max(2), z.number().min(0.5).max(2)])
    .refine(([lo, hi]) => lo <= hi, 'scaleRange must be [min, max] with min <= max')
    .default([0.9, 1.1]),
  /** Elastic distortion; off unless given. */
  elastic: ElasticOptions.nullable().default(null),
});
export type AugmentOptions = z.infer<typeof AugmentOptions>;
export type AugmentOptionsInput = z.input<typeof AugmentOptions>;

const SIDE = 28;
const CENTER = (SIDE - 1) / 2;

// Scratch space reused across calls: augmentation runs on every training batch, so it must not
// allocate per image.
const dxField = new Float32Array(SIDE * SIDE);
const dyField = new Float32Array(SIDE * SIDE);
const gridX = new Float32Array(16 * 16);
const gridY = new Float32Array(16 * 16);

/**
 * Simard-style elastic field: smooth random displacements. Simard et al. smooth a per-pixel random
 * field with a Gaussian; we get the same kind of smooth field by bilinearly interpolating random
 * displacements drawn on a coarse control grid (spacing `sigma` px), which costs a few hundred
 * operations per image instead of a 2-D convolution.
 */
function fillElasticField(rng: Rng, { alpha, sigma }: ElasticOptions): void {
  const cells = Math.ceil((SIDE - 1) / sigma) + 1; // control points per side, at most 15 for sigma >= 2
  for (let k = 0; k < cells * cells; k++) {
    gridX[k] = alpha * rng.normal();
    gridY[k] = alpha * rng.normal();
  }
  for (let y = 0; y < SIDE; y++) {
    const gy = y / sigma;
    const y0 = Math.min(Math.floor(gy), cells - 2);
    const fy = gy - y0;
    for (let x = 0; x < SIDE; x++) {
      const gx = x / sigma;
      const x0 = Math.min(Math.floor(gx), cells - 2);
      const fx = gx - x0;
      const k = y0 * cells + x0;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const i = y * SIDE + x;
      dxField[i] = w00 * (gridX[k] as number) + w01 * (gridX[k + 1] as number) + w10 * (gridX[k + cells] as number) + w11 * (gridX[k + cells + 1] as number);
      dyField[i] = w00 * (gridY[k] as number) + w01 * (gridY[k + 1] as number) + w10 * (gridY[k + cells] as number) + w11 * (gridY[k + cells + 1] as number);
    }
  }
}

/**
 * Writes one randomly warped copy of a 28x28 digit into `out`: a single inverse affine map
 * (rotation, scale, shift about the centre) plus the optional elastic field, sampled bilinearly
 * with zero (background) outside the image. Draws a fixed number of values from `rng` per call,
 * so results are reproducible for a seed.
 */
export function augmentDigit(src: Uint8Array, out: Uint8Array, rng: Rng, options: AugmentOptions): void {
  const theta = (rng.uniform(-1, 1) * options.maxRotationDeg * Math.PI) / 180;
  const scale = rng.uniform(options.scaleRange[0], options.scaleRange[1]);
  const tx = rng.uniform(-1, 1) * options.maxShift;
  const ty = rng.uniform(-1, 1) * options.maxShift;
  const elastic = options.elastic !== null;
  if (options.elastic !== null) fillElasticField(rng, options.elastic);
  // Output (x, y) samples the source at R(-theta) * ((x, y) - c - t) / scale + c.
  const cos = Math.cos(theta) / scale;
  const sin = Math.sin(theta) / scale;
  for (let y = 0; y < SIDE; y++) {
    const v = y - CENTER - ty;
    let u = -CENTER - tx;
    for (let x = 0; x < SIDE; x++, u++) {
      const i = y * SIDE + x;
      let sx = cos * u + sin * v + CENTER;
      let sy = -sin * u + cos * v + CENTER;
      if (elastic) {
        sx += dxField[i] as number;
        sy += dyField[i] as number;
      }
      out[i] = sampleBilinear(src, sx, sy);
    }
  }
}

function sampleBilinear(src: Uint8Array, sx: number, sy: number): number {
  if (sx <= -1 || sy <= -1 || sx >= SIDE || sy >= SIDE) return 0;
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const inX0 = x0 >= 0, inX1 = x0 + 1 < SIDE, inY0 = y0 >= 0, inY1 = y0 + 1 < SIDE;
  const row0 = y0 * SIDE, row1 = row0 + SIDE;
  const p00 = inX0 && inY0 ? (src[row0 + x0] as number) : 0;
  const p01 = inX1 && inY0 ? (src[row0 + x0 + 1] as number) : 0;
  const p10 = inX0 && inY1 ? (src[row1 + x0] as number) : 0;
  const p11 = inX1 && inY1 ? (src[row1 + x0 + 1] as number) : 0;
  const top = p00 + fx * (p01 - p00);
  const bottom = p10 + fx * (p11 - p10);
  return Math.round(top + fy * (bottom - top));
}

/** A new DigitSet with every digit warped (labels are shared, not copied). */
export function augmentSet(set: DigitSet, rng: Rng, options: AugmentOptionsInput = {}): DigitSet {
  if (set.rows !== SIDE || set.cols !== SIDE) throw new RangeError(`augmentation expects 28x28 digits, got ${set.rows}x${set.cols}`);
  const opts = AugmentOptions.parse(options);
  const size = SIDE * SIDE;
  const pixels = new Uint8Array(set.count * size);
  for (let n = 0; n < set.count; n++) {
    augmentDigit(set.pixels.subarray(n * size, (n + 1) * size), pixels.subarray(n * size, (n + 1) * size), rng, opts);
  }
  return { ...set, pixels };
}
