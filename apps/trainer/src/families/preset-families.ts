import { PRESET_MODELS } from '@inkwell/ml';
import { defineFamily } from './family';
import { netTraining } from './net-training';

/**
 * The preset architectures as training families: the architecture is the preset's (fixed), the
 * hyperparameters are the nets' shared training knobs. The recipe's `arch` ({kind: 'lenet5'}) and
 * `family` end up in the trained version's manifest (`arch`, `hyperparameters.arch`).
 */
export const lenet5Family = defineFamily({
  name: 'lenet5',
  description: `Preset ${PRESET_MODELS.lenet5.title}: ${PRESET_MODELS.lenet5.description}`,
  toRecipe: (p, run) => ({ family: 'lenet5', name: run.name, seed: run.seed, data: run.data, epochs: run.epochs, arch: PRESET_MODELS.lenet5.arch, ...netTraining(p) }),
});

export const resnet18Family = defineFamily({
  name: 'resnet18',
  description: `Preset ${PRESET_MODELS.resnet18.title}: ${PRESET_MODELS.resnet18.description}. About 11.2 M parameters: slow to train on CPU`,
  toRecipe: (p, run) => ({ family: 'resnet18', name: run.name, seed: run.seed, data: run.data, epochs: run.epochs, arch: PRESET_MODELS.resnet18.arch, ...netTraining(p) }),
});
