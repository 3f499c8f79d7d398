import type { FloatImage } from './gray-image';

/** For each output index along one axis: the source indices it reads and their weights. */
interface AxisTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** `dst * stride` weights; entry j*stride + k weights source `first[j] + k`. */
  readonly weights: Float32Array;
  readonly stride: number;
}

/**
 * Shrinking averages exactly the source area each output pixel covers (a box filter with
 * fractional edges), which is how MNIST's digits got their grey, antialiased edges; enlarging
 * interpolates linearly. Equal sizes copy.
 */
function axisTaps(src: number, dst: number): AxisTaps {
  const first = new Int32Array(dst);
  const count = new Int32Array(dst);
  if (dst < src) {
    const scale = src / dst;
    const stride = Math.ceil(scale) + 1;
    const weights = new Float32Array(dst * stride);
    for (let j = 0; j < dst; j++) {
      const lo = j * scale;
      const hi = (j + 1) * scale;
      const i0 = Math.floor(lo);
      const i1 = Math.min(src - 1, Math.ceil(hi) - 1);
      first[j] = i0;
      count[j] = i1 - i0 + 1;
      for (let i = i0; i <= i1; i++) weights[j * stride + i - i0] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
    }
    return { first, count, weights, stride };
  }
  const weights = new Float32Array(dst * 2);
  for (let j = 0; j < dst; j++) {
    if (dst === src) {
      first[j] = j;
      count[j] = 1;
      weights[j * 2] = 1;
      continue;
    }
    const u = Math.max(0, Math.min(src - 1, ((j + 0.5) * src) / dst - 0.5));
    const i0 = Math.min(Math.floor(u), src - 1);
    const t = u - i0;
    first[j] = i0;
    count[j] = i0 + 1 < src ? 2 : 1;
    weights[j * 2] = count[j] === 2 ? 1 - t : 1;
    weights[j * 2 + 1] = count[j] === 2 ? t : 0;
  }
  return { first, count, weights, stride: 2 };
}

/** Separable resize of a float image to exactly `outW` x `outH`. */
export function resize(img: FloatImage, outW: number, outH: number): FloatImage {
  const { data, width: w, height: h } = img;
  const tx = axisTaps(w, outW);
  const ty = axisTaps(h, outH);
  const rows = new Float32Array(outW * h);
  for (let y = 0; y < h; y++) {
    for (let j = 0; j < outW; j++) {
      const f = tx.first[j] ?? 0;
      const n = tx.count[j] ?? 0;
      let s = 0;
      for (let k = 0; k < n; k++) s += (data[y * w + f + k] ?? 0) * (tx.weights[j * tx.stride + k] ?? 0);
      rows[y * outW + j] = s;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let j = 0; j < outH; j++) {
    const f = ty.first[j] ?? 0;
    const n = ty.count[j] ?? 0;
    for (let k = 0; k < n; k++) {
      const wgt = ty.weights[j * ty.stride + k] ?? 0;
      const src = (f + k) * outW;
      for (let x = 0; x < outW; x++) out[j * outW + x] = (out[j * outW + x] ?? 0) + (rows[src + x] ?? 0) * wgt;
    }
  }
  return { data: out, width: outW, height: outH };
}
