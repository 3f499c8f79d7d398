import { describe, expect, it } from 'vitest';
import { predictedLabels } from '../common/features';
import { classicPredictProba } from '../predict';
import { accuracy, maxAbsDiff, mnistFixtures, runOnnx } from '../test-fixtures';
import { exportSvmOnnx } from './export';
import { SvmParams } from './params';
import { trainSvm } from './train';

const { train, test, calibration } = mnistFixtures(1000);

describe('SVM (one-vs-one SMO) and its ONNX export', () => {
  const rbf = trainSvm(train, { kernel: 'rbf', C: 10, gamma: 0.025 }, { calibration });

  it('learns digits from 1,000 examples', () => {
    const probs = classicPredictProba(rbf.model, test);
    expect(accuracy(predictedLabels(probs), test.labels)).toBeGreaterThan(0.88);
    for (let r = 0; r < 10; r++) expect(probs.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  });

  it('gives the same predictions from the exported ONNX file as in TypeScript on 1,000 test digits', async () => {
    const ts = classicPredictProba(rbf.model, test);
    const onnx = await runOnnx(exportSvmOnnx(rbf.model), test);
    expect(predictedLabels(onnx)).toEqual(predictedLabels(ts));
    expect(maxAbsDiff(onnx, ts)).toBeLessThan(1e-4);
  });

  it('applies the temperature in the graph as in TypeScript', async () => {
    const ts = classicPredictProba(rbf.model, test, 2);
    const onnx = await runOnnx(exportSvmOnnx(rbf.model, { temperature: 2 }), test);
    expect(maxAbsDiff(onnx, ts)).toBeLessThan(1e-4);
    // a higher temperature lowers the mean top-class confidence
    const top = (p: Float32Array): number => predictedLabels(p).reduce((s, k, i) => s + (p[i * 10 + k] as number), 0);
    expect(top(ts)).toBeLessThan(top(classicPredictProba(rbf.model, test)));
  });

  it.each([
    ['linear', { kernel: 'linear', C: 0.1 }],
    ['poly', { kernel: 'poly', C: 1, gamma: 'scale', degree: 3, coef0: 1 }],
  ] as const)('exports the %s kernel with matching predictions', async (_, params) => {
    const small = mnistFixtures(300);
    const model = trainSvm(small.train, params, { calibration: small.calibration }).model;
    const ts = classicPredictProba(model, small.test);
    expect(accuracy(predictedLabels(ts), small.test.labels)).toBeGreaterThan(0.75);
    expect(predictedLabels(await runOnnx(exportSvmOnnx(model), small.test))).toEqual(predictedLabels(ts));
  });

  it('holds out calibration digits itself when none are given', () => {
    const rep = trainSvm(mnistFixtures(300).train, { kernel: 'linear', C: 0.1 });
    expect(rep.trainCount + rep.calibrationCount).toBe(300);
    // 10% of each class, rounded per class
    expect(Math.abs(rep.calibrationCount - 30)).toBeLessThanOrEqual(3);
  });

  it('refuses training digits that lack a class', () => {
    const { train: few } = mnistFixtures(300);
    const noNines = { ...few, labels: few.labels.map((l) => (l === 9 ? 8 : l)) };
    expect(() => trainSvm(noNines, { kernel: 'linear' }, { calibration })).toThrow(/lack class\(es\) 9/);
  });

  it('validates hyperparameters', () => {
    expect(SvmParams.parse({})).toMatchObject({ kernel: 'rbf', C: 10, gamma: 0.025 });
    expect(() => SvmParams.parse({ C: 0 })).toThrow();
    expect(() => SvmParams.parse({ gamma: 'median' })).toThrow();
    expect(() => SvmParams.parse({ kernel: 'sigmoid' })).toThrow();
  });
});
