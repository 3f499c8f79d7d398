import type { TrainFamily } from '@inkwell/contracts';
import { cnnFamily } from './cnn';
import type { ModelFamily } from './family';
import { mlpFamily } from './mlp';
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
};
