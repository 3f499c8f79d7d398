import type { GrayImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type PolarityParams = typeof PIPELINE_PARAMS.polarity;

/**
 * True when the image is light ink on a dark background.
 *
 * Ink is the minority of pixels in any small neighbourhood, so within a block the background sits
 * near the block's mean and the ink is the far extreme: for dark ink on paper, mean - min is larger
 * than max - mean. Each block votes 2*mean - min - max (so strong-contrast blocks, those with
 * strokes, weigh most, and flat or evenly graded blocks vote about 0). The mean vote of each grid
 * (finestGrid^2 cells, then (finestGrid/2)^2, ..., 1: the whole image) is summed; its sign decides.
 * A global split (Otsu's dark share) is fooled by a lighting gradient across the page; this is not.
 * Weak votes go to dark-on-light, the common case: real digits vote with |vote| > 100 (measured on
 * every fixture kind and all MNIST test digits), a blank page about 3; inverting a blank page would
 * turn its grain into "ink" relative to a dark "paper".
 */
export function isLightOnDark(gray: GrayImage, params: PolarityParams = PIPELINE_PARAMS.polarity): boolean {
  return polarityVote(gray, params) < -params.minInvertVote;
}

/** The summed vote (gray levels): negative for light ink on dark, positive for dark ink on light. */
export function polarityVote(gray: GrayImage, params: PolarityParams = PIPELINE_PARAMS.polarity): number {
  const { data, width: w, height: h } = gray;
  const n = params.finestGrid;
  // One pass over the pixels for the finest grid; coarser grids (n/2, n/4, ...) are unions of cells.
  // Each row is walked cell by cell with the cell's statistics in locals (sums of whole numbers, so
  // the order of addition does not change them).
  const cellStart = new Int32Array(n + 1);
  for (let c = 0; c <= n; c++) cellStart[c] = Math.ceil((c * w) / n);
  const min = new Uint8Array(n * n).fill(255);
  const max = new Uint8Array(n * n);
  const sum = new Float64Array(n * n);
  const count = new Float64Array(n * n);
  for (let y = 0; y < h; y++) {
    const rowCell = Math.floor((y * n) / h) * n;
    const row = y * w;
    for (let c = 0; c < n; c++) {
      const k = rowCell + c;
      const from = cellStart[c] ?? 0;
      const to = cellStart[c + 1] ?? 0;
      let lo = min[k] ?? 255;
      let hi = max[k] ?? 0;
      let s = 0;
      for (let x = from; x < to; x++) {
        const v = data[row + x] ?? 0;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        s += v;
      }
      min[k] = lo;
      max[k] = hi;
      sum[k] = (sum[k] ?? 0) + s;
      count[k] = (count[k] ?? 0) + (to - from);
    }
  }
  let vote = 0;
  for (let g = n; g >= 1; g >>= 1) {
    const f = n / g; // finest cells per coarse cell, per side
    let gridVote = 0;
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++) {
        let lo = 255;
        let hi = 0;
        let s = 0;
        let c = 0;
        for (let y = gy * f; y < (gy + 1) * f; y++) {
          for (let x = gx * f; x < (gx + 1) * f; x++) {
            const k = y * n + x;
            if ((count[k] ?? 0) === 0) continue;
            lo = Math.min(lo, min[k] ?? 255);
            hi = Math.max(hi, max[k] ?? 0);
            s += sum[k] ?? 0;
            c += count[k] ?? 0;
          }
        }
        if (c > 0) gridVote += (2 * s) / c - lo - hi;
      }
    }
    vote += gridVote / (g * g);
  }
  return vote;
}
