import type { TrainFamily } from '@inkwell/contracts';
import { cnnFamily } from './cnn';
import type { ModelFamily } from './family';
import { mlpFamily } from './mlp';
import { lenet5Family, resnet18Family } from './preset-families';
import { randomForestFamily } from './random-forest';
import { resnetFamily } from './resnet';
import { svmFamily } from './svm';

export type { ModelFamily, RecipeRun } from './family';

/** Every family this trainer can train: the "families in code" the `families` table is reconciled with. */
export const MODEL_FAMILIES: Readonly<Record<TrainFamily, ModelFamily>> = {
  svm: svmFamily,
  random_forest: randomForestFamily,
  mlp: mlpFamily,
  cnn: cnnFamily,
  resnet: resnetFamily,
  lenet5: lenet5Family,
  resnet18: resnet18Family,
};
