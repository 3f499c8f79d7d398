import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelManifest } from '@inkwell/contracts';
import type { DigitSet } from '@inkwell/ml-data';
import { accuracyOf, evaluateOnnx, MANIFEST_FILE, meanProbs, MODEL_FILE } from '@inkwell/model-artifacts';

/**
 * An ensemble's test accuracy as inference would serve it: each member's `probs` from its own
 * ONNX file (with its manifest's input settings), averaged, then argmax. The registry stores each
 * version's predicted digits, not its probabilities, and averaged probabilities cannot be
 * rebuilt from digits, so this runs the files (seconds per member on the CPU) at promote time.
 */
export async function ensembleAccuracy(dirs: readonly string[], set: DigitSet): Promise<number> {
  const members: Float32Array[] = [];
  for (const dir of dirs) {
    const manifest = ModelManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
    members.push(await evaluateOnnx(join(dir, MODEL_FILE), set, { normalization: manifest.normalization, inputName: manifest.input_name, outputName: manifest.output_name }));
  }
  return accuracyOf(set.labels, meanProbs(members));
}
