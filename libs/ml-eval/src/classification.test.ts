import { describe, expect, it } from 'vitest';
import { classificationMetrics, confusionMatrix } from './classification';

// 3 classes, 6 samples; predictions (argmax) are 0,1,1,1,2,0.
const labels = [0, 0, 1, 1, 2, 2];
const probs = [
  0.8, 0.1, 0.1,
  0.3, 0.6, 0.1,
  0.2, 0.7, 0.1,
  0.1, 0.5, 0.4,
  0.1, 0.2, 0.7,
  0.5, 0.2, 0.3,
];

describe('classification metrics', () => {
  it('counts a known confusion matrix (rows true, columns predicted)', () => {
    expect(confusionMatrix(labels, [0, 1, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
  });

  it('computes accuracy, per-class, macro and weighted scores by hand', () => {
    const m = classificationMetrics(labels, probs);
    expect(m.accuracy).toBeCloseTo(4 / 6);
    // class 0: tp 1, predicted 2, support 2 -> P 0.5, R 0.5; class 1: P 2/3, R 1; class 2: P 1, R 0.5
    expect(m.perClass.map((c) => c.precision)).toEqual([0.5, 2 / 3, 1]);
    expect(m.perClass.map((c) => c.recall)).toEqual([0.5, 1, 0.5]);
    expect(m.perClass[1]?.f1).toBeCloseTo(0.8);
    expect(m.perClass[2]?.f1).toBeCloseTo(2 / 3);
    expect(m.macro.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3);
    expect(m.macro.f1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3);
    // equal supports: weighted equals macro here
    expect(m.weighted.recall).toBeCloseTo(m.macro.recall);
  });

  it('weights by support and gives 0 for a class never predicted', () => {
    const m = classificationMetrics([0, 0, 0, 1], [0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1]);
    expect(m.perClass[1]).toMatchObject({ support: 1, precision: 0, recall: 0, f1: 0 });
    expect(m.weighted.recall).toBeCloseTo(0.75);
    expect(m.macro.recall).toBeCloseTo(0.5);
  });

  it('rejects labels outside the matrix', () => {
    expect(() => classificationMetrics([0, 3], [0.5, 0.5, 0.5, 0.5])).toThrow(/label 3/);
  });
});
