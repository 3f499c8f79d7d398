import type { SearchSpace, TrainFamily } from '@inkwell/contracts';

/**
 * The nets' shared training knobs (the issue's list: learning rate, batch size, optimizer, weight
 * decay, dropout). `momentum` exists only for sgd, as the family schema refuses it otherwise.
 */
const NET_KNOBS: SearchSpace = {
  learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
  batch_size: { kind: 'choice', values: [32, 64, 128] },
  optimizer: { kind: 'choice', values: ['sgd', 'adam', 'adamw'] },
  momentum: { kind: 'float', low: 0.5, high: 0.99, when: { param: 'optimizer', in: ['sgd'] } },
  weight_decay: { kind: 'float', low: 1e-6, high: 1e-2, log: true },
  dropout: { kind: 'float', low: 0, high: 0.5 },
};

const { dropout: _noDropout, ...PRESET_KNOBS } = NET_KNOBS;

/**
 * Each family's default search space for `POST /api/tuning` and `POST /api/models/{id}/tune`
 * without `space`: the knobs that matter most, over ranges that train in reasonable time.
 * Names are the family's public (snake_case) hyperparameters.
 */
export const DEFAULT_SEARCH_SPACES: Readonly<Record<TrainFamily, SearchSpace>> = {
  svm: {
    kernel: { kind: 'choice', values: ['rbf', 'poly', 'linear'] },
    C: { kind: 'float', low: 0.1, high: 100, log: true },
    // The kernel width means nothing to a linear kernel.
    gamma: { kind: 'float', low: 1e-4, high: 1e-1, log: true, when: { param: 'kernel', in: ['rbf', 'poly'] } },
  },
  random_forest: {
    n_estimators: { kind: 'int', low: 20, high: 300, step: 20 },
    max_depth: { kind: 'int', low: 5, high: 40, step: 5 },
    min_samples_split: { kind: 'int', low: 2, high: 20 },
    max_features: { kind: 'choice', values: ['sqrt', 'log2'] },
  },
  mlp: { ...NET_KNOBS, neurons: { kind: 'choice', values: [64, 128, 256, 512] }, layers: { kind: 'int', low: 1, high: 3 } },
  cnn: NET_KNOBS,
  resnet: NET_KNOBS,
  // A preset's architecture is fixed: it has no dropout to tune.
  lenet5: PRESET_KNOBS,
  resnet18: PRESET_KNOBS,
};
