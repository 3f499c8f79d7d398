import { describe, expect, it } from 'vitest';
import { downsampleCurve, multiclassRoc, rocCurve } from './roc';

describe('rocCurve', () => {
  it('gives the hand-computed curve and AUC of a 3-sample case with a tie', () => {
    // positive 0.5 vs negatives 0.7 (lost) and 0.5 (tie, half credit): AUC = 0.5 / 2
    const c = rocCurve([0.5, 0.7, 0.5], [true, false, false]);
    expect(c.fpr).toEqual([0, 0.5, 1]);
    expect(c.tpr).toEqual([0, 0, 1]);
    expect(c.thresholds).toEqual([Infinity, 0.7, 0.5]);
    expect(c.auc).toBeCloseTo(0.25);
  });

  it('equals the fraction of correctly ordered positive/negative pairs', () => {
    // pairs: (0.8,0.6) (0.8,0.3) (0.4,0.3) right, (0.4,0.6) wrong -> 3/4
    expect(rocCurve([0.8, 0.4, 0.6, 0.3], [true, true, false, false]).auc).toBeCloseTo(0.75);
  });

  it('is 1 for a perfect ranking, ~0.5 for random scores, null without negatives', () => {
    expect(rocCurve([0.9, 0.8, 0.2, 0.1], [true, true, false, false]).auc).toBe(1);
    let seed = 1;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const scores = Array.from({ length: 4000 }, rand);
    const pos = Array.from({ length: 4000 }, () => rand() < 0.5);
    expect(rocCurve(scores, pos).auc).toBeGreaterThan(0.45);
    expect(rocCurve(scores, pos).auc).toBeLessThan(0.55);
    expect(rocCurve([0.1, 0.2], [true, true]).auc).toBeNull();
  });

  it('downsamples to at most 200 points keeping both ends and the AUC', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const c = rocCurve(scores, scores.map((s) => s > 0.3));
    const d = downsampleCurve(c, 200);
    expect(d.fpr.length).toBe(200);
    expect([d.fpr[0], d.tpr[0], d.fpr.at(-1), d.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    expect(d.auc).toBe(c.auc);
  });
});

describe('multiclassRoc', () => {
  it('gives AUC 1 everywhere for a perfect classifier', () => {
    const labels = [0, 1, 2, 0, 1, 2];
    const probs = labels.flatMap((l) => [0, 1, 2].map((k) => (k === l ? 0.8 : 0.1)));
    const roc = multiclassRoc(labels, probs);
    expect(roc.perClass.map((c) => c.auc)).toEqual([1, 1, 1]);
    expect(roc.micro.auc).toBe(1);
    expect(roc.macro.auc).toBe(1);
  });

  it('macro AUC is the mean of the class AUCs and its curve ends at (1,1)', () => {
    const labels = [0, 1, 2, 0, 1, 2];
    const probs = [0.6, 0.3, 0.1, 0.2, 0.3, 0.5, 0.3, 0.3, 0.4, 0.3, 0.4, 0.3, 0.5, 0.4, 0.1, 0.1, 0.1, 0.8];
    const roc = multiclassRoc(labels, probs);
    const mean = roc.perClass.reduce((s, c) => s + (c.auc ?? 0), 0) / 3;
    expect(roc.macro.auc).toBeCloseTo(mean);
    expect(roc.macro.fpr.at(-1)).toBe(1);
    expect(roc.macro.tpr.at(-1)).toBeCloseTo(1);
    expect(roc.micro.auc).toBeGreaterThan(0.5);
    expect(roc.micro.auc).toBeLessThan(1);
  });
});
