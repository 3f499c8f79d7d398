import type { InputNormalization } from '@inkwell/contracts';

/**
 * 0..1 ink intensities -> the model's input tensor data: (x - mean) * (1 / std), per the manifest.
 * The one copy of this arithmetic: the inference workers and the browser both call it, so they
 * feed a model bit-identical float32 inputs (x / std and x * (1 / std) can differ in the last bit).
 */
export function normalizeForModel(pixels: Float32Array, { mean, std }: InputNormalization): Float32Array {
  const out = new Float32Array(pixels.length);
  const inv = 1 / std;
  for (let i = 0; i < pixels.length; i++) out[i] = ((pixels[i] ?? 0) - mean) * inv;
  return out;
}
