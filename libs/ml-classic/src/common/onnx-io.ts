import { GraphBuilder } from '@inkwell/onnx';
import { z } from 'zod';

/** How every Inkwell model reads its input: x = (pixel / 255 - mean) / std, float32 [N, 1, 28, 28]. */
export const ExportOptions = z.object({
  normalization: z.object({ mean: z.number(), std: z.number().positive() }).default({ mean: 0.1307, std: 0.3081 }),
  /** Softmax temperature applied to the classifier's probabilities (fitted by @inkwell/ml-eval); 1 = unchanged. */
  temperature: z.number().positive().default(1),
});
export type ExportOptions = z.infer<typeof ExportOptions>;

export const INPUT_NAME = 'image';
export const OUTPUT_NAME = 'probs';

/**
 * Declares the shared input `image` [N,1,28,28] and turns it back into the feature scale a
 * classic model was trained on: Reshape to [N,784], then x * std + mean gives pixel/255,
 * times 255 more when the model works on raw pixel values (trees split on bytes).
 */
export function featuresFromImage(g: GraphBuilder, options: ExportOptions, scale: 'unit' | 'byte'): string {
  const image = g.input(INPUT_NAME, 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Reshape', [image, g.constant('int64', [2], [-1, 784], 'flat_shape')]);
  const k = scale === 'byte' ? 255 : 1;
  const { mean, std } = options.normalization;
  const scaled = g.node('Mul', [flat, g.constant('float32', [], [std * k], 'std')]);
  return g.node('Add', [scaled, g.constant('float32', [], [mean * k], 'mean')]);
}

/**
 * Exposes class probabilities as `probs` [N,10]. With a temperature T != 1 it returns
 * softmax(log(p) / T), the same calibration the nets get on their logits; probabilities are
 * clipped at 1e-7 first because a tree can give a class exactly 0.
 */
export function probsOutput(g: GraphBuilder, scores: string, numClasses: number, temperature: number): void {
  if (temperature === 1) {
    g.rename(scores, OUTPUT_NAME);
  } else {
    const clipped = g.node('Clip', [scores, g.constant('float32', [], [1e-7], 'p_min'), g.constant('float32', [], [1], 'p_max')]);
    const logits = g.node('Div', [g.node('Log', [clipped]), g.constant('float32', [], [temperature], 'temperature')]);
    g.node('Softmax', [logits], { axis: 1 }, { outputs: [OUTPUT_NAME] });
  }
  g.output(OUTPUT_NAME, 'float32', ['N', numClasses]);
}

/** The same temperature transform in TypeScript, for parity with the exported graph. */
export function applyTemperatureToProbs(probs: Float32Array, numClasses: number, temperature: number): Float32Array {
  if (temperature === 1) return probs;
  const out = new Float32Array(probs.length);
  for (let r = 0; r < probs.length; r += numClasses) {
    let max = -Infinity;
    for (let k = 0; k < numClasses; k++) {
      const v = Math.log(Math.min(1, Math.max(1e-7, probs[r + k] as number))) / temperature;
      out[r + k] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += out[r + k] = Math.exp((out[r + k] as number) - max);
    for (let k = 0; k < numClasses; k++) out[r + k] = (out[r + k] as number) / sum;
  }
  return out;
}
