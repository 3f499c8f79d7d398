import type { GrayImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type LightingParams = typeof PIPELINE_PARAMS.lighting;

/**
 * Gray -> ink (0 = paper, 255 = darkest ink), corrected for uneven lighting.
 *
 * Photos of paper are lit unevenly, so one global threshold would count shadows as ink. The paper
 * brightness is estimated as the median of each block of a coarse grid (ink is a minority in a
 * block, so the median is paper, and unlike the maximum it ignores grain), dilated (max) over 3x3
 * blocks so a block lying inside a thick stroke still sees paper, and interpolated bilinearly
 * between block centres. Ink is the darkening relative to that local paper: (paper - pixel) / paper. On evenly lit
 * white paper this is exactly 255 - gray, so MNIST-style inputs pass through unchanged; a large dark
 * region (a table beyond the page edge, a shadow) becomes its own "paper" and fades out.
 */
export function inkMap(gray: GrayImage, invert: boolean, params: LightingParams = PIPELINE_PARAMS.lighting): Uint8Array {
  const { width: w, height: h, data } = gray;
  const block = Math.max(params.minBlockPx, Math.ceil(Math.max(w, h) / params.blocksPerSide));
  const gw = Math.ceil(w / block);
  const gh = Math.ceil(h / block);

  const lightOf = new Uint8Array(256);
  for (let g = 0; g < 256; g++) lightOf[g] = invert ? 255 - g : g;
  const colBlock = new Int32Array(w);
  for (let x = 0; x < w; x++) colBlock[x] = Math.floor(x / block);

  const hist = new Uint32Array(gw * gh * 256);
  for (let y = 0; y < h; y++) {
    const rowBlock = Math.floor(y / block) * gw;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const k = (rowBlock + (colBlock[x] ?? 0)) * 256 + (lightOf[data[row + x] ?? 0] ?? 0);
      hist[k] = (hist[k] ?? 0) + 1;
    }
  }
  const blockMedian = new Float32Array(gw * gh);
  for (let b = 0; b < gw * gh; b++) {
    const bw = Math.min(block, w - (b % gw) * block);
    const bh = Math.min(block, h - Math.floor(b / gw) * block);
    const half = (bw * bh) / 2;
    let seen = 0;
    let v = 0;
    for (; v < 255; v++) {
      seen += hist[b * 256 + v] ?? 0;
      if (seen >= half) break;
    }
    blockMedian[b] = v;
  }
  const paper = dilate3x3(blockMedian, gw, gh);

  // Per-axis interpolation between block centres (clamped at the edges).
  const colLo = new Int32Array(w);
  const colT = new Float32Array(w);
  for (let x = 0; x < w; x++) [colLo[x], colT[x]] = interpolationAt(x, block, gw);
  const out = new Uint8Array(w * h);
  const paperRow = new Float32Array(gw);
  for (let y = 0; y < h; y++) {
    const [gy, ty] = interpolationAt(y, block, gh);
    const gy1 = Math.min(gy + 1, gh - 1);
    for (let gx = 0; gx < gw; gx++) {
      const a = paper[gy * gw + gx] ?? 0;
      paperRow[gx] = a + ((paper[gy1 * gw + gx] ?? 0) - a) * ty;
    }
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const gx = colLo[x] ?? 0;
      const a = paperRow[gx] ?? 0;
      const bg = Math.max(params.minBackground, a + ((paperRow[Math.min(gx + 1, gw - 1)] ?? 0) - a) * (colT[x] ?? 0));
      const ink = ((bg - (lightOf[data[row + x] ?? 0] ?? 0)) * 255) / bg;
      out[row + x] = ink <= 0 ? 0 : ink >= 255 ? 255 : ink + 0.5;
    }
  }
  return out;
}

/** [index of the block centre at or before `p`, fraction towards the next one]. */
function interpolationAt(p: number, block: number, blocks: number): [number, number] {
  const f = (p + 0.5) / block - 0.5;
  if (f <= 0) return [0, 0];
  if (f >= blocks - 1) return [blocks - 1, 0];
  const lo = Math.floor(f);
  return [lo, f - lo];
}

function dilate3x3(grid: Float32Array, gw: number, gh: number): Float32Array {
  const out = new Float32Array(grid.length);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      let m = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(gh - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(gw - 1, x + 1); xx++) m = Math.max(m, grid[yy * gw + xx] ?? 0);
      }
      out[y * gw + x] = m;
    }
  }
  return out;
}
