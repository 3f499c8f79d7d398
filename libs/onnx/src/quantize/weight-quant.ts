/** Weights quantized to int8, symmetric, one scale per output channel: w ≈ values * scales[channel], zero point 0. */
export interface ChannelQuantized {
  readonly values: Int8Array;
  /** One per channel, float32: the value stored in the model, so quantization divides by exactly it. */
  readonly scales: Float32Array;
  /** The largest |w - q * scale| over the tensor (at most half of its channel's scale). */
  readonly maxAbsError: number;
}

/**
 * The weights' range, symmetric around 0: 7 bits, ONNX Runtime's `reduce_range`. On x86 CPUs
 * without VNNI (AVX2, AVX-512 without VNNI) ONNX Runtime multiplies uint8 activations by int8
 * weights with VPMADDUBSW, which adds two products into a saturating int16: 2 x 255 x 127 overflows
 * it, and a Gemm's outputs came out 24 % off the float model's on such a machine (AMD EPYC, AVX2);
 * 2 x 255 x 64 = 32,640 fits. The cost is one bit of weight precision.
 */
export const INT8_SYMMETRIC_MAX = 64;

/**
 * Rounds half to even, like numpy's `round`, which ONNX Runtime's Python quantizer uses; Math.round
 * would round every .5 up and bias the weights of a large layer upwards.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Quantizes a float tensor of shape `dims` (row-major) per channel along `axis`:
 * scale = max|w| / 64 over the channel (1 for an all-zero channel, whose values are all 0),
 * q = round(w / scale) clipped to [-64, 64].
 */
export function quantizePerChannel(weights: Float32Array, dims: readonly number[], axis: number): ChannelQuantized {
  const channels = dims[axis];
  if (channels === undefined) throw new RangeError(`axis ${axis} is outside a rank-${dims.length} tensor`);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => Math.floor(i / inner) % channels;
  const absMax = new Float64Array(channels);
  for (let i = 0; i < weights.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(weights[i] as number);
    if (a > (absMax[c] as number)) absMax[c] = a;
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = absMax[c] as number;
    // A scale of 0 would make dequantization lose nothing but quantization divide by zero.
    scales[c] = m > 0 ? m / INT8_SYMMETRIC_MAX : 1;
  }
  const values = new Int8Array(weights.length);
  let maxAbsError = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    const scale = scales[channelOf(i)] as number;
    const q = Math.max(-INT8_SYMMETRIC_MAX, Math.min(INT8_SYMMETRIC_MAX, roundHalfEven(w / scale)));
    values[i] = q;
    maxAbsError = Math.max(maxAbsError, Math.abs(w - q * scale));
  }
  return { values, scales, maxAbsError };
}

/** A row-major [rows, cols] matrix transposed to [cols, rows] (Gemm's transB weights become MatMulInteger's B). */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}
