import type { InputNormalization } from '@inkwell/contracts';

/** 0..1 ink intensities -> the model's input tensor data: (x - mean) / std, per the manifest. */
export function normalize(pixels: Float32Array, { mean, std }: InputNormalization): Float32Array {
  const out = new Float32Array(pixels.length);
  const inv = 1 / std;
  for (let i = 0; i < pixels.length; i++) out[i] = ((pixels[i] ?? 0) - mean) * inv;
  return out;
}
