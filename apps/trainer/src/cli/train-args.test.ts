import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from './train-args';

const recipeOf = (argv: string[]) => {
  const r = parseTrainArgs(argv);
  if (r.help) throw new Error('unexpected help');
  return r.recipe;
};

describe('npm run train arguments', () => {
  it('puts every cnn hyperparameter given on the command line into the recipe', () => {
    const r = recipeOf(['--arch', 'cnn', '--filters', '16,32', '--kernel-size', '5', '--dense', '64', '--dropout', '0.25', '--batch-norm', '--epochs', '4', '--lr', '0.002', '--optimizer', 'adam', '--schedule', 'cosine', '--batch-size', '32', '--augment', '--rotation', '5', '--seed', '7']);
    expect(r).toMatchObject({
      family: 'cnn',
      seed: 7,
      epochs: 4,
      batchSize: 32,
      arch: { kind: 'cnn', filters: [16, 32], kernel: 5, dense: [64], dropout: 0.25, batchNorm: true },
      optimizer: { kind: 'adam', lr: 0.002 },
      schedule: { kind: 'cosine' },
      augment: { maxRotationDeg: 5, maxShift: 2 },
    });
  });

  it('builds an mlp of --layers x --neurons and SGD with Nesterov momentum', () => {
    const r = recipeOf(['--arch', 'mlp', '--layers', '3', '--neurons', '100', '--activation', 'tanh', '--optimizer', 'sgd', '--momentum', '0.8', '--nesterov']);
    expect(r).toMatchObject({ arch: { hidden: [100, 100, 100], activation: 'tanh' }, optimizer: { kind: 'sgd', momentum: 0.8, nesterov: true } });
  });

  it('maps the classic models hyperparameters and trains the SVM on a subset unless told otherwise', () => {
    expect(recipeOf(['--arch', 'svm', '--C', '5', '--gamma', 'scale', '--kernel', 'poly', '--degree', '2'])).toMatchObject({
      family: 'svm',
      params: { C: 5, gamma: 'scale', kernel: 'poly', degree: 2 },
      data: { trainLimit: 20000 },
    });
    expect(recipeOf(['--arch', 'random_forest', '--n-estimators', '30', '--max-depth', '12', '--min-samples-split', '4'])).toMatchObject({
      params: { nEstimators: 30, maxDepth: 12, minSamplesSplit: 4 },
      data: { trainLimit: null },
    });
  });

  it('refuses values outside the schema and flags that belong to another family', () => {
    expect(() => parseTrainArgs(['--arch', 'cnn', '--filters', '0'])).toThrow();
    expect(() => parseTrainArgs(['--arch', 'mlp', '--dropout', '1.5'])).toThrow();
    expect(() => parseTrainArgs(['--arch', 'svm', '--lr', '0.1'])).toThrow(/--lr does not apply to --arch svm/);
    expect(() => parseTrainArgs(['--arch', 'transformer'])).toThrow(/--arch must be one of/);
    expect(() => parseTrainArgs(['--arch', 'cnn', '--provider', 'rocm'])).toThrow(/--provider must be one of cpu, cuda, tensorrt/);
  });

  it('runs on CPU unless another execution provider is asked for', () => {
    const run = (argv: string[]) => {
      const r = parseTrainArgs(argv);
      if (r.help) throw new Error('unexpected help');
      return r.run.provider;
    };
    expect([run(['--arch', 'cnn']), run(['--arch', 'cnn', '--provider', 'cuda']), run(['--arch', 'svm', '--provider', 'cuda'])]).toEqual(['cpu', 'cuda', 'cuda']);
  });
});
