import type { Family, RecipeInput } from '@inkwell/model-artifacts';

/** The "done when" targets: MNIST test accuracy of the exported ONNX file. */
export const TARGETS: Record<Family | 'ensemble', number> = {
  mlp: 0.98,
  cnn: 0.993,
  resnet: 0.995,
  svm: 0.975,
  random_forest: 0.965,
  ensemble: 0.996,
};
export const ENSEMBLE_ECE_TARGET = 0.015;

/**
 * Recipes for the families that are not in the default ensemble. cnn and resnet are measured on
 * the default ensemble's members (models/), which are themselves single models of those families.
 */
export const FAMILY_RECIPES: Partial<Record<Family, RecipeInput>> = {
  mlp: {
    name: 'bench-mlp-v1',
    family: 'mlp',
    seed: 1,
    arch: { kind: 'mlp', hidden: [512, 256], activation: 'relu', dropout: 0.2 },
    optimizer: { kind: 'adamw', lr: 0.001, weightDecay: 0.0001 },
    schedule: { kind: 'cosine', minFactor: 0 },
    epochs: 12,
    batchSize: 128,
  },
  // RBF kernel on a 22,000-digit subset (10% of it held out for the Platt sigmoids): the issue
  // allows a subset for the kernel SVM; the full 54,000 would take hours on two cores.
  svm: {
    name: 'bench-svm-rbf-v1',
    family: 'svm',
    seed: 1,
    data: { trainLimit: 22000 },
    params: { kernel: 'rbf', C: 10, gamma: 0.025 },
  },
  // 50 trees: ml-classic's bench measured 96.96 % with 100 trees on all 60,000 digits in 600 s of an
  // idle machine; half the trees costs a tenth of a point or so and halves the time.
  random_forest: {
    name: 'bench-random-forest-v1',
    family: 'random_forest',
    seed: 1,
    params: { nEstimators: 50, maxDepth: null, minSamplesSplit: 2, maxFeatures: 'sqrt' },
  },
};
