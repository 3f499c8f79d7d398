import type { DigitSet } from '@inkwell/ml-data';
import { unitFeatures } from './common/features';
import { applyTemperatureToProbs } from './common/onnx-io';
import { forestPredictProba, type ForestModel } from './forest/forest';
import { svmPredictProba, type SvmModel } from './svm/model';

export type ClassicModel = SvmModel | ForestModel;

/** Probabilities [N, 10] in TypeScript, matching what the exported graph's `probs` gives for the same digits and temperature. */
export function classicPredictProba(model: ClassicModel, set: DigitSet, temperature = 1): Float32Array {
  const probs = model.kind === 'svm' ? svmPredictProba(model, unitFeatures(set)) : forestPredictProba(model, set);
  return applyTemperatureToProbs(probs, model.numClasses, temperature);
}
