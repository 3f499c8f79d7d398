import { describe, expect, it } from 'vitest';
import { AppError, TRAIN_FAMILIES, TrainRequest } from '@inkwell/contracts';
import { Recipe } from '@inkwell/model-artifacts';
import { recipeFor } from '../jobs/family-recipes';
import { MODEL_FAMILIES } from '.';

const JOB = '4b7c9d2e-0000-4000-8000-000000000001';
const recipe = (family: (typeof TRAIN_FAMILIES)[number], hyperparameters: Record<string, unknown>, epochs = 2) =>
  recipeFor({ jobId: JOB, family, hyperparameters, epochs, seed: 7, maxTrainSamples: 500 });

/** The AppError a call throws, or a failure when it throws nothing. */
function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
const issuePaths = (e: AppError): string[] => (e.details as { issues: { path: string }[] }).issues.map((i) => i.path);

describe('model families, defined once', () => {
  it('every family in the contract has exactly one definition, and its defaults make a valid recipe', () => {
    expect(Object.keys(MODEL_FAMILIES).sort()).toEqual([...TRAIN_FAMILIES].sort());
    for (const f of TRAIN_FAMILIES) {
      expect(MODEL_FAMILIES[f].name).toBe(f);
      const r = recipe(f, {});
      expect(r.family).toBe(f);
      expect(r.seed).toBe(7);
      expect(r.data.trainLimit).toBe(500);
      expect(Recipe.safeParse(r).success).toBe(true);
    }
  });

  it('the nets keep the defaults the trainer had before: adamw at 0.001, batches of 64, mlp 256-128 relu', () => {
    const r = recipe('mlp', {});
    if (r.family !== 'mlp') throw new Error('not a net');
    expect(r.arch).toEqual({ kind: 'mlp', hidden: [256, 128], activation: 'relu', dropout: 0 });
    expect(r.optimizer).toMatchObject({ kind: 'adamw', lr: 0.001, weightDecay: 0 });
    expect(r.batchSize).toBe(64);
    expect(r.epochs).toBe(2);
    expect(r.schedule).toEqual({ kind: 'constant' });
    expect(r.augment).toBeNull();
  });

  it('svm takes C, gamma, kernel (and degree, coef0)', () => {
    const r = recipe('svm', { C: 2.5, gamma: 'scale', kernel: 'poly', degree: 2, coef0: 1 });
    if (r.family !== 'svm') throw new Error('not an svm');
    expect(r.params).toMatchObject({ C: 2.5, gamma: 'scale', kernel: 'poly', degree: 2, coef0: 1 });
  });

  it('random_forest takes n_estimators, max_depth, min_samples_split, max_features', () => {
    const r = recipe('random_forest', { n_estimators: 12, max_depth: 9, min_samples_split: 4, max_features: 'log2', bootstrap: false });
    if (r.family !== 'random_forest') throw new Error('not a forest');
    expect(r.params).toMatchObject({ nEstimators: 12, maxDepth: 9, minSamplesSplit: 4, maxFeatures: 'log2', bootstrap: false });
  });

  it('mlp: layers x neurons, or one width per layer; a count that disagrees with the list is refused', () => {
    const widths = (h: Record<string, unknown>) => {
      const r = recipe('mlp', h);
      return r.family === 'mlp' && r.arch.kind === 'mlp' ? r.arch.hidden : null;
    };
    expect(widths({ layers: 3, neurons: 64 })).toEqual([64, 64, 64]);
    expect(widths({ neurons: 64 })).toEqual([64, 64]);
    expect(widths({ neurons: [32, 16, 8] })).toEqual([32, 16, 8]);
    expect(widths({ layers: 3, neurons: [32, 16, 8] })).toEqual([32, 16, 8]);
    expect(issuePaths(refusal(() => recipe('mlp', { layers: 2, neurons: [32, 16, 8] })))).toEqual(['hyperparameters.layers']);
    const r = recipe('mlp', { activation: 'tanh', dropout: 0.25 });
    expect(r.family === 'mlp' && r.arch).toMatchObject({ activation: 'tanh', dropout: 0.25 });
  });

  it('the nets\' training knobs: learning rate, batch size, optimizer, weight decay, schedule, augmentation', () => {
    const r = recipe('cnn', {
      filters: [8],
      kernel_size: 5,
      dense: [16],
      batch_norm: true,
      learning_rate: 0.05,
      batch_size: 32,
      optimizer: 'sgd',
      momentum: 0.8,
      weight_decay: 0.0005,
      schedule: 'step',
      step_every_epochs: 2,
      step_gamma: 0.5,
      label_smoothing: 0.1,
      augmentation: { max_shift: 1, elastic: true },
    });
    if (r.family !== 'cnn') throw new Error('not a cnn');
    expect(r.arch).toEqual({ kind: 'cnn', filters: [8], kernel: 5, dense: [16], dropout: 0, batchNorm: true });
    expect(r.optimizer).toMatchObject({ kind: 'sgd', lr: 0.05, momentum: 0.8, weightDecay: 0.0005 });
    expect(r.batchSize).toBe(32);
    expect(r.schedule).toEqual({ kind: 'step', everyEpochs: 2, gamma: 0.5 });
    expect(r.labelSmoothing).toBe(0.1);
    expect(r.augment).toMatchObject({ maxShift: 1, maxRotationDeg: 10, elastic: { alpha: 1.5, sigma: 5 } });
    const resnet = recipe('resnet', { depth: 14, width: 8, schedule: 'one_cycle', augmentation: true });
    if (resnet.family !== 'resnet') throw new Error('not a resnet');
    expect(resnet.arch).toEqual({ kind: 'resnet', depth: 14, width: 8 });
    expect(resnet.schedule).toMatchObject({ kind: 'one-cycle' });
    expect(resnet.augment).toMatchObject({ maxShift: 2, elastic: null });
  });

  it('refuses, naming the field: unknown keys (the engine\'s old names too), bad values, knobs for another optimizer or schedule', () => {
    const unknown = refusal(() => recipe('mlp', { arch: { hidden: [16] }, batchSize: 64 }));
    expect(unknown.code).toBe('validation_failed');
    expect(unknown.message).toMatch(/arch/);
    expect(unknown.message).toMatch(/batchSize/);
    expect(issuePaths(refusal(() => recipe('svm', { C: -1 })))).toEqual(['hyperparameters.C']);
    expect(issuePaths(refusal(() => recipe('svm', { kernel: 'sigmoid' })))).toEqual(['hyperparameters.kernel']);
    expect(issuePaths(refusal(() => recipe('random_forest', { n_estimators: 0 })))).toEqual(['hyperparameters.n_estimators']);
    expect(issuePaths(refusal(() => recipe('resnet', { depth: 10 })))).toEqual(['hyperparameters.depth']);
    expect(issuePaths(refusal(() => recipe('cnn', { momentum: 0.9 })))).toEqual(['hyperparameters.momentum']);
    expect(issuePaths(refusal(() => recipe('mlp', { step_gamma: 0.5, schedule: 'cosine' })))).toEqual(['hyperparameters.step_gamma']);
    // A field of another family is as unknown as every other.
    expect(refusal(() => recipe('svm', { n_estimators: 10 })).message).toMatch(/n_estimators/);
  });

  it('the HTTP contract checks the same schemas: TrainRequest names hyperparameters.<field>', () => {
    const bad = TrainRequest.safeParse({ dataset_id: 'mnist', family: 'svm', hyperparameters: { C: 0, gamma: 'auto' }, epochs: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['hyperparameters.C']);
    expect(TrainRequest.safeParse({ dataset_id: 'mnist', family: 'svm', hyperparameters: { C: 1, gamma: 'auto' }, epochs: 1 }).success).toBe(true);
  });
});
