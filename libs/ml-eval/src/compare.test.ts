import { describe, expect, it } from 'vitest';
import { compareClassifiers, type ComparableMetrics } from './compare';

// 3 classes, 8 images.          i: 0  1  2  3  4  5  6  7
const truth = [0, 0, 1, 1, 2, 2, 2, 0];
const predA = [0, 1, 1, 1, 2, 0, 2, 0]; // wrong on 1 (true 0), 5 (true 2)
const predB = [0, 0, 1, 2, 1, 2, 2, 1]; // wrong on 3 (true 1), 4 (true 2), 7 (true 0)

const metrics = (accuracy: number, logLoss: number, ece: number, f1s: number[]): ComparableMetrics => ({
  accuracy,
  log_loss: logLoss,
  ece,
  macro: { precision: 0.5, recall: 0.5, f1: f1s.reduce((a, b) => a + b, 0) / f1s.length },
  weighted: { precision: 0.5, recall: 0.5, f1: 0.25 },
  per_class: f1s.map((f1, label) => ({ label, precision: 0.5, recall: 0.5, f1 })),
});

describe('compareClassifiers', () => {
  const a = metrics(6 / 8, 0.4, 0.05, [0.8, 0.9, 0.7]);
  const b = metrics(5 / 8, 0.6, 0.02, [0.6, 0.9, 0.5]);
  const cmp = compareClassifiers(truth, predA, predB, a, b);

  it('reports deltas as B minus A', () => {
    expect(cmp.count).toBe(8);
    expect(cmp.deltas.accuracy).toBeCloseTo(-1 / 8, 12);
    expect(cmp.deltas.log_loss).toBeCloseTo(0.2, 12);
    expect(cmp.deltas.ece).toBeCloseTo(-0.03, 12);
    expect(cmp.deltas.macro_f1).toBeCloseTo((0.6 + 0.9 + 0.5 - (0.8 + 0.9 + 0.7)) / 3, 12);
    expect(cmp.deltas.weighted_f1).toBe(0);
    expect(cmp.deltas.per_class_f1.map((d) => Number(d.toFixed(12)))).toEqual([-0.2, 0, -0.2]);
  });

  it('gives both confusion matrices and their difference B minus A', () => {
    expect(cmp.confusion.a).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 2],
    ]);
    expect(cmp.confusion.b).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 1, 2],
    ]);
    expect(cmp.confusion.difference).toEqual([
      [0, 0, 0],
      [0, -1, 1],
      [-1, 1, 0],
    ]);
  });

  it('counts, per true digit, the images only A gets right and only B gets right', () => {
    // only A right: i=3 (true 1), 4 (true 2), 7 (true 0); only B right: i=1 (true 0), 5 (true 2)
    expect(cmp.only_a_right).toEqual({ per_class: [1, 1, 1], total: 3 });
    expect(cmp.only_b_right).toEqual({ per_class: [1, 0, 1], total: 2 });
    expect(cmp.mcnemar).toMatchObject({ b: 3, c: 2, method: 'exact_binomial', p_value: 1 });
  });

  it('refuses prediction vectors of different lengths', () => {
    expect(() => compareClassifiers(truth, predA, predB.slice(1), a, b)).toThrow(/length/);
  });

  it('refuses metrics with a different number of classes', () => {
    expect(() => compareClassifiers(truth, predA, predB, a, metrics(0.5, 0.1, 0.1, [0.5, 0.5]))).toThrow(/classes/);
  });
});
