import { describe, expect, it } from 'vitest';
import { metricsFromConfusion } from './classification';
import { argmaxBytes, rowNormalize } from './predictions';
import { multiclassRoc } from './roc';

describe('argmaxBytes', () => {
  it('gives the top class of each row, the first on a tie', () => {
    expect(Array.from(argmaxBytes([0.1, 0.7, 0.2, 0.5, 0.2, 0.3, 0.4, 0.4, 0.2], 3))).toEqual([1, 0, 0]);
  });
  it('refuses a matrix that does not fit the row count', () => {
    expect(() => argmaxBytes([0.5, 0.5, 0.1], 2)).toThrow(RangeError);
  });
});

describe('rowNormalize', () => {
  it('divides each row by its total and leaves an empty row at zero', () => {
    expect(rowNormalize([[3, 1], [0, 0], [1, 4]])).toEqual([[0.75, 0.25], [0, 0], [0.2, 0.8]]);
  });
});

describe('hand-computed averages and curves', () => {
  it('weights by support when supports differ', () => {
    // class 0: 3 true, 2 right, predicted 0 three times (1 from class 1) -> p 2/3, r 2/3
    // class 1: 1 true, 0 right, predicted once (from class 0)            -> p 0,   r 0
    const m = metricsFromConfusion([[2, 1], [1, 0]]);
    expect(m.macro.recall).toBeCloseTo((2 / 3 + 0) / 2);
    expect(m.weighted.recall).toBeCloseTo((3 * (2 / 3) + 1 * 0) / 4);
    expect(m.weighted.precision).toBeCloseTo((3 * (2 / 3)) / 4);
  });

  it('micro pools every (sample, class) score; macro AUC is the mean of the class AUCs', () => {
    // Two classes, three samples. Class 1 scores: 0.8 (pos), 0.6 (neg), 0.3 (pos) -> AUC 1/2.
    // Class 0 scores are 1 - those: 0.2 (neg), 0.4 (pos), 0.7 (neg) -> pairs (0.4 vs 0.2 right, vs 0.7 wrong) -> 1/2.
    // Micro: positives {0.8, 0.4, 0.3}, negatives {0.2, 0.6, 0.7}: right pairs 0.8>all 3, 0.4>0.2, 0.3>0.2 -> 5/9.
    const labels = [1, 0, 1];
    const probs = [0.2, 0.8, 0.4, 0.6, 0.7, 0.3];
    const roc = multiclassRoc(labels, probs);
    expect(roc.perClass.map((c) => c.auc)).toEqual([0.5, 0.5]);
    expect(roc.micro.auc).toBeCloseTo(5 / 9, 12);
    expect(roc.macro.auc).toBeCloseTo(0.5, 12);
  });
});
