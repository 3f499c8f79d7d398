import type { FloatImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type StrokeParams = typeof PIPELINE_PARAMS.strokes;

/**
 * Mean stroke width of the ink (intensity >= 0.5) in pixels: area over half the perimeter, which is
 * a ribbon's width whatever its length or path. (MNIST's digits, measured so at 28x28: median 2.0,
 * 1st percentile 1.07.)
 */
export function strokeWidth(img: FloatImage): number {
  const { data, width, height } = img;
  // Perimeter = ink/background changes along each row and each column, the image's edge counting
  // as background; one pass over a 0/1 mask of this row and the one above.
  let area = 0;
  let perimeter = 0;
  let above = new Uint8Array(width);
  let row = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    let left = 0;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const on = (data[base + x] ?? 0) >= 0.5 ? 1 : 0;
      row[x] = on;
      area += on;
      perimeter += (on ^ left) + (on ^ (above[x] ?? 0));
      left = on;
    }
    perimeter += left;
    [above, row] = [row, above];
  }
  for (let x = 0; x < width; x++) perimeter += above[x] ?? 0;
  return perimeter === 0 ? 0 : area / (perimeter / 2);
}

/**
 * A digit written with a fine pen on a large page ends up, once fitted into MNIST's 20-pixel box,
 * a faint hairline no model trained on MNIST reads (they answer "1"). When the strokes would be
 * thinner than `minWidth` box pixels, this widens them (a grey dilation, so edges stay soft) until
 * they are `targetWidth` wide, MNIST's median. Anything at MNIST's own widths is returned as is.
 */
export function thickenThinStrokes(img: FloatImage, box: number, params: StrokeParams = PIPELINE_PARAMS.strokes): FloatImage {
  const side = Math.max(img.width, img.height);
  const width = strokeWidth(img);
  if (width === 0 || (width * box) / side >= params.minWidth) return img;
  // Dilating by r grows both the strokes (width + 2r) and the digit (side + 2r) that is then fitted
  // into the box: solve (width + 2r) * box / (side + 2r) = target for r.
  const t = params.targetWidth;
  const r = Math.round((t * side - box * width) / (2 * (box - t)));
  return r < 1 ? img : dilate(img, r);
}

/** Grey dilation by a (2r+1)-pixel square, on a canvas grown by r on every side. */
function dilate(img: FloatImage, r: number): FloatImage {
  const w = img.width + 2 * r;
  const h = img.height + 2 * r;
  const padded = new Float32Array(w * h);
  for (let y = 0; y < img.height; y++) padded.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + r) * w + r);
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) runningMax(padded, rows, y * w, 1, w, r);
  const out = new Float32Array(w * h);
  for (let x = 0; x < w; x++) runningMax(rows, out, x, w, h, r);
  return { data: out, width: w, height: h };
}

/**
 * Max over a window of 2r+1 along one line (van Herk / Gil-Werman: three comparisons a pixel
 * whatever r is), reading `n` values from `start` by `step`. Outside the line counts as 0.
 */
function runningMax(src: Float32Array, dst: Float32Array, start: number, step: number, n: number, r: number): void {
  const k = 2 * r + 1;
  const forward = new Float32Array(n);
  const backward = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[start + i * step] ?? 0;
    forward[i] = i % k === 0 ? v : Math.max(forward[i - 1] ?? 0, v);
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = src[start + i * step] ?? 0;
    backward[i] = i === n - 1 || (i + 1) % k === 0 ? v : Math.max(backward[i + 1] ?? 0, v);
  }
  for (let i = 0; i < n; i++) {
    const lo = i - r;
    const hi = i + r;
    // Inside, the window spans at most two blocks; near the ends it is cut short, so read it.
    dst[start + i * step] = lo >= 0 && hi < n ? Math.max(backward[lo] ?? 0, forward[hi] ?? 0) : edgeMax(src, start, step, n, lo, hi);
  }
}

/** Max of the in-range part of [lo, hi]: only near a line's ends, where the block trick does not apply. */
function edgeMax(src: Float32Array, start: number, step: number, n: number, lo: number, hi: number): number {
  let m = 0;
  for (let i = Math.max(0, lo); i <= Math.min(n - 1, hi); i++) m = Math.max(m, src[start + i * step] ?? 0);
  return m;
}
