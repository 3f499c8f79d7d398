import type { GrayImage } from './gray-image';
import { PIPELINE_PARAMS } from './pipeline-params';

type LightingParams = typeof PIPELINE_PARAMS.lighting;

/**
 * Gray -> ink (0 = paper, 255 = darkest ink), corrected for uneven lighting.
 *
 * Photos of paper are lit unevenly, so one global threshold would count shadows as ink. The paper
 * brightness is estimated as the maximum over a coarse grid of blocks, dilated over 3x3 blocks so a
 * block lying inside a thick stroke still sees paper, and interpolated bilinearly between block
 * centres. Ink is the darkening relative to that local paper: (paper - pixel) / paper. On evenly lit
 * white paper this is exactly 255 - gray, so MNIST-style inputs pass through unchanged; a large dark
 * region (a table beyond the page edge, a shadow) becomes its own "paper" and fades out.
 */
export function inkMap(gray: GrayImage, invert: boolean, params: LightingParams = PIPELINE_PARAMS.lighting): Uint8Array {
  const { width: w, height: h, data } = gray;
  const block = Math.max(params.minBlockPx, Math.ceil(Math.max(w, h) / params.blocksPerSide));
  const gw = Math.ceil(w / block);
  const gh = Math.ceil(h / block);

  const blockMax = new Float32Array(gw * gh);
  for (let y = 0; y < h; y++) {
    const row = ((y / block) | 0) * gw;
    for (let x = 0; x < w; x++) {
      const g = data[y * w + x] ?? 0;
      const light = invert ? 255 - g : g;
      const k = row + ((x / block) | 0);
      if (light > (blockMax[k] ?? 0)) blockMax[k] = light;
    }
  }
  const paper = dilate3x3(blockMax, gw, gh);

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
    for (let x = 0; x < w; x++) {
      const gx = colLo[x] ?? 0;
      const a = paperRow[gx] ?? 0;
      const bg = Math.max(params.minBackground, a + ((paperRow[Math.min(gx + 1, gw - 1)] ?? 0) - a) * (colT[x] ?? 0));
      const g = data[y * w + x] ?? 0;
      const light = invert ? 255 - g : g;
      const ink = ((bg - light) * 255) / bg;
      out[y * w + x] = ink <= 0 ? 0 : ink >= 255 ? 255 : ink + 0.5;
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
