import type { GrayImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type LightingParams = typeof PIPELINE_PARAMS.lighting;

/**
 * Gray -> ink (0 = paper, 255 = darkest ink), corrected for uneven lighting.
 *
 * Photos of paper are lit unevenly, so one global threshold would count shadows as ink. The paper
 * brightness is estimated as the median of each block of a coarse grid (ink is a minority in a
 * block, so the median is paper, and unlike the maximum it ignores grain), then closed over 5x5
 * blocks (max, then min) so blocks inside a stroke up to 4 blocks wide take their neighbours'
 * paper while lighting ramps pass unchanged, and interpolated bilinearly between block centres. Ink is the darkening relative to that local paper: (paper - pixel) / paper. On evenly lit
 * white paper this is exactly 255 - gray, so MNIST-style inputs pass through unchanged; a large dark
 * region (a table beyond the page edge, a shadow) becomes its own "paper" and fades out.
 */
export function inkMap(gray: GrayImage, invert: boolean, params: LightingParams = PIPELINE_PARAMS.lighting): Uint8Array {
  return inkMapWithHistogram(gray, invert, params).ink;
}

/** inkMap plus the histogram of its values, counted in the same pass. */
export function inkMapWithHistogram(gray: GrayImage, invert: boolean, params: LightingParams = PIPELINE_PARAMS.lighting): { ink: Uint8Array; histogram: Uint32Array } {
  const { width: w, height: h, data } = gray;
  const block = Math.max(params.minBlockPx, Math.ceil(Math.max(w, h) / params.blocksPerSide));
  const gw = Math.ceil(w / block);
  const gh = Math.ceil(h / block);

  const lightOf = new Uint8Array(256);
  for (let g = 0; g < 256; g++) lightOf[g] = invert ? 255 - g : g;

  // Medians of big blocks are estimated from every other pixel in each direction: plenty of
  // samples, a quarter of the work. Each row is walked block by block (x stays on the step grid).
  const step = block >= 16 ? 2 : 1;
  const blocks = gw * gh;
  const hist = blockHistograms(blocks);
  for (let y = 0; y < h; y += step) {
    const rowBlock = Math.floor(y / block) * gw;
    const row = y * w;
    for (let bx = 0; bx < gw; bx++) {
      const b = rowBlock + bx;
      const end = Math.min(w, (bx + 1) * block);
      for (let x = Math.ceil((bx * block) / step) * step; x < end; x += step) {
        const v = lightOf[data[row + x] ?? 0] ?? 0;
        const f = b * 256 + v;
        const c = b * 16 + (v >> 4);
        hist.fine[f] = (hist.fine[f] ?? 0) + 1;
        hist.coarse[c] = (hist.coarse[c] ?? 0) + 1;
      }
    }
  }
  const blockMedian = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const x0 = (b % gw) * block;
    const y0 = Math.floor(b / gw) * block;
    const half = (sampled(x0, Math.min(w, x0 + block), step) * sampled(y0, Math.min(h, y0 + block), step)) / 2;
    blockMedian[b] = lowerMedian(hist, b, half);
  }
  hist.fine.fill(0, 0, blocks * 256);
  hist.coarse.fill(0, 0, blocks * 16);
  // Interpolating 255 / paper rather than paper turns a division per pixel into a multiplication;
  // on evenly lit paper the two are identical.
  const paper = morph(morph(blockMedian, gw, gh, 2, 'dilate'), gw, gh, 2, 'erode');
  const gain = paper.map((p) => 255 / Math.max(params.minBackground, p));

  // Per-axis interpolation between block centres (clamped at the edges). Columns come in runs that
  // share their pair of block centres, so the two gains of a run are read once per row.
  const colT = new Float32Array(w);
  const runs: { from: number; to: number; lo: number; hi: number }[] = [];
  for (let x = 0; x < w; x++) {
    const [lo, t] = interpolationAt(x, block, gw);
    colT[x] = t;
    const last = runs[runs.length - 1];
    if (last && last.lo === lo) last.to = x + 1;
    else runs.push({ from: x, to: x + 1, lo, hi: Math.min(lo + 1, gw - 1) });
  }
  const out = new Uint8Array(w * h);
  const inkHist = new Uint32Array(256);
  const gainRow = new Float32Array(gw);
  for (let y = 0; y < h; y++) {
    const [gy, ty] = interpolationAt(y, block, gh);
    const gy1 = Math.min(gy + 1, gh - 1);
    for (let gx = 0; gx < gw; gx++) {
      const a = gain[gy * gw + gx] ?? 1;
      gainRow[gx] = a + ((gain[gy1 * gw + gx] ?? 1) - a) * ty;
    }
    const row = y * w;
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k];
      if (run === undefined) continue;
      const a = gainRow[run.lo] ?? 1;
      const b = gainRow[run.hi] ?? 1;
      for (let x = run.from; x < run.to; x++) {
        const g = a + (b - a) * (colT[x] ?? 0);
        const gray = data[row + x] ?? 0;
        // (paper - light) * 255 / paper = 255 - light * gain
        const ink = 255 - (invert ? 255 - gray : gray) * g;
        const v = ink <= 0 ? 0 : ink >= 255 ? 255 : (ink + 0.5) | 0;
        out[row + x] = v;
        inkHist[v] = (inkHist[v] ?? 0) + 1;
      }
    }
  }
  return { ink: out, histogram: inkHist };
}

/** Per-block histograms of 256 values and of their 16 high nibbles, zeroed between calls. */
interface BlockHistograms {
  readonly fine: Uint32Array;
  readonly coarse: Uint32Array;
}

// Reused across calls (the pixel stages are synchronous): allocating 64 blocks x 256 counts per
// image was a third of the ink map's cost on a 48 px scan (V8 zeroes and tracks each new buffer).
let scratch: BlockHistograms = { fine: new Uint32Array(64 * 256), coarse: new Uint32Array(64 * 16) };

function blockHistograms(blocks: number): BlockHistograms {
  if (scratch.coarse.length < blocks * 16) scratch = { fine: new Uint32Array(blocks * 256), coarse: new Uint32Array(blocks * 16) };
  return scratch;
}

/**
 * The smallest value whose count, with the counts below it, reaches `half` (255 when none does):
 * the coarse counts find the 16-value range, so a bright block's median is not a walk up from 0.
 */
function lowerMedian(hist: BlockHistograms, b: number, half: number): number {
  let seen = 0;
  let c = 0;
  for (; c < 15; c++) {
    const n = hist.coarse[b * 16 + c] ?? 0;
    if (seen + n >= half) break;
    seen += n;
  }
  let v = c * 16;
  for (; v < 255; v++) {
    seen += hist.fine[b * 256 + v] ?? 0;
    if (seen >= half) break;
  }
  return v;
}

/** How many multiples of `step` lie in [from, to). */
function sampled(from: number, to: number, step: number): number {
  return Math.ceil(to / step) - Math.ceil(from / step);
}

/** [index of the block centre at or before `p`, fraction towards the next one]. */
function interpolationAt(p: number, block: number, blocks: number): [number, number] {
  const f = (p + 0.5) / block - 0.5;
  if (f <= 0) return [0, 0];
  if (f >= blocks - 1) return [blocks - 1, 0];
  const lo = Math.floor(f);
  return [lo, f - lo];
}

/**
 * Dilation (max) or erosion (min) of a grid over a (2r+1)^2 window. Beyond its edges the
 * grid is extended linearly, so a lighting ramp that falls towards a corner is not mistaken for a
 * valley to fill.
 */
function morph(grid: Float32Array, gw: number, gh: number, r: number, op: 'dilate' | 'erode'): Float32Array {
  const pw = gw + 2 * r;
  const ph = gh + 2 * r;
  const padded = new Float32Array(pw * ph);
  const at = (x: number, y: number): number => grid[y * gw + x] ?? 0;
  const extend = (edge: number, inner: number, k: number): number => Math.max(0, Math.min(255, edge + k * (edge - inner)));
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) padded[(y + r) * pw + x + r] = at(x, y);
    for (let k = 1; k <= r; k++) {
      padded[(y + r) * pw + r - k] = gw > 1 ? extend(at(0, y), at(1, y), k) : at(0, y);
      padded[(y + r) * pw + r + gw - 1 + k] = gw > 1 ? extend(at(gw - 1, y), at(gw - 2, y), k) : at(gw - 1, y);
    }
  }
  for (let x = 0; x < pw; x++) {
    const top = padded[r * pw + x] ?? 0;
    const bottom = padded[(r + gh - 1) * pw + x] ?? 0;
    for (let k = 1; k <= r; k++) {
      padded[(r - k) * pw + x] = gh > 1 ? extend(top, padded[(r + 1) * pw + x] ?? 0, k) : top;
      padded[(r + gh - 1 + k) * pw + x] = gh > 1 ? extend(bottom, padded[(r + gh - 2) * pw + x] ?? 0, k) : bottom;
    }
  }
  const out = new Float32Array(grid.length);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      let m = at(x, y);
      for (let yy = y; yy <= y + 2 * r; yy++) {
        for (let xx = x; xx <= x + 2 * r; xx++) {
          const v = padded[yy * pw + xx] ?? 0;
          if (op === 'dilate' ? v > m : v < m) m = v;
        }
      }
      out[y * gw + x] = m;
    }
  }
  return out;
}
