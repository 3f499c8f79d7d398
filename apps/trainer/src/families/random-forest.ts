import { defineFamily } from './family';

export const randomForestFamily = defineFamily({
  name: 'random_forest',
  description: 'Random forest of CART trees on pixels / 255: bagged, a random subset of pixels tried per split',
  toRecipe: (p, run) => ({
    family: 'random_forest',
    name: run.name,
    seed: run.seed,
    data: run.data,
    params: { nEstimators: p.n_estimators, maxDepth: p.max_depth, minSamplesSplit: p.min_samples_split, maxFeatures: p.max_features, bootstrap: p.bootstrap },
  }),
});
