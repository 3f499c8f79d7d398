import type { FloatImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';
import { resize } from './resample';

type LayoutParams = typeof PIPELINE_PARAMS.layout;

/**
 * MNIST's own normalisation: scale the tightly cropped digit to fit a 20x20 box keeping its aspect
 * ratio, then place it in 28x28 so its centre of mass lands on pixel (14, 14) (measured on the
 * MNIST test set: mean centre of mass 14.01, 13.99 in pixel-index coordinates), shifting by whole
 * pixels as MNIST did. With `center` false the box is centred instead. The shift is clamped so
 * no ink falls off the canvas.
 */
export function layoutLikeMnist(digit: FloatImage, center: boolean, params: LayoutParams = PIPELINE_PARAMS.layout): Float32Array {
  const scale = params.box / Math.max(digit.width, digit.height);
  const w = Math.min(params.box, Math.max(1, Math.round(digit.width * scale)));
  const h = Math.min(params.box, Math.max(1, Math.round(digit.height * scale)));
  const small = resize(digit, w, h);

  let ox = Math.floor((params.size - w) / 2);
  let oy = Math.floor((params.size - h) / 2);
  if (center) {
    const com = centreOfMass(small);
    if (com !== null) {
      ox = clamp(Math.round(params.centreOfMass - com.x), 0, params.size - w);
      oy = clamp(Math.round(params.centreOfMass - com.y), 0, params.size - h);
    }
  }
  const out = new Float32Array(params.size * params.size);
  for (let y = 0; y < h; y++) out.set(small.data.subarray(y * w, (y + 1) * w), (y + oy) * params.size + ox);
  return out;
}

/** Intensity-weighted centroid in pixel-index coordinates; null for an all-zero image. */
export function centreOfMass(img: FloatImage): { x: number; y: number } | null {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x] ?? 0;
      m += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return m > 0 ? { x: sx / m, y: sy / m } : null;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
