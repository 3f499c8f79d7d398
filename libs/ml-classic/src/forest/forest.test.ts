import { describe, expect, it } from 'vitest';
import { predictedLabels } from '../common/features';
import { classicPredictProba } from '../predict';
import { accuracy, maxAbsDiff, mnistFixtures, runOnnx } from '../test-fixtures';
import { exportForestOnnx } from './export';
import { trainForest } from './forest';
import { ForestParams } from './params';

const { train, test } = mnistFixtures(5000);

describe('random forest and its ONNX export', () => {
  const rep = trainForest(train, { nEstimators: 10, seed: 1 });

  it('learns digits with 10 trees on 5,000 examples', () => {
    expect(accuracy(predictedLabels(classicPredictProba(rep.model, test)), test.labels)).toBeGreaterThan(0.82);
  });

  it('gives the same probabilities from the exported ONNX file as in TypeScript on 1,000 test digits', async () => {
    const ts = classicPredictProba(rep.model, test);
    const onnx = await runOnnx(exportForestOnnx(rep.model), test);
    expect(predictedLabels(onnx)).toEqual(predictedLabels(ts));
    expect(maxAbsDiff(onnx, ts)).toBeLessThan(1e-5);
  });

  it('applies the temperature in the graph as in TypeScript', async () => {
    const ts = classicPredictProba(rep.model, test, 0.5);
    expect(maxAbsDiff(await runOnnx(exportForestOnnx(rep.model, { temperature: 0.5 }), test), ts)).toBeLessThan(1e-4);
  });

  it('is reproducible for a seed and honours max_depth', () => {
    const small = mnistFixtures(500).train;
    const a = trainForest(small, { nEstimators: 3, seed: 7 }).model;
    const b = trainForest(small, { nEstimators: 3, seed: 7 }).model;
    expect(a.trees.map((t) => t.threshold)).toEqual(b.trees.map((t) => t.threshold));
    const shallow = trainForest(small, { nEstimators: 2, maxDepth: 3, seed: 7 }).model;
    for (const tree of shallow.trees) expect(tree.feature.length).toBeLessThanOrEqual(15);
  });

  it('validates hyperparameters', () => {
    expect(ForestParams.parse({})).toMatchObject({ nEstimators: 100, maxDepth: null, minSamplesSplit: 2, maxFeatures: 'sqrt', bootstrap: true });
    expect(() => ForestParams.parse({ minSamplesSplit: 1 })).toThrow();
    expect(() => ForestParams.parse({ nEstimators: 0 })).toThrow();
  });
});
