import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, logLoss } from './calibration';

/** Synthetic 10-class predictions whose top-class confidence c is right with probability c * distortion. */
function synthetic(n: number, accuracyOf: (c: number) => number): { labels: number[]; probs: number[] } {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const labels: number[] = [], probs: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = 0.2 + 0.8 * rand();
    const predicted = Math.floor(rand() * 10);
    for (let k = 0; k < 10; k++) probs.push(k === predicted ? c : (1 - c) / 9);
    labels.push(rand() < accuracyOf(c) ? predicted : (predicted + 1 + Math.floor(rand() * 9)) % 10);
  }
  return { labels, probs };
}

describe('logLoss', () => {
  it('is -mean log p(true class) and stays finite for a confident miss', () => {
    expect(logLoss([0, 1], [0.5, 0.5, 0.2, 0.8])).toBeCloseTo((Math.log(2) - Math.log(0.8)) / 2);
    expect(logLoss([1], [1, 0])).toBeCloseTo(-Math.log(1e-15));
  });
});

describe('expected calibration error', () => {
  it('matches a hand-computed two-bin case', () => {
    // confidences 0.9 (right), 0.9 (wrong), 0.6 (right): bins (0.867,0.933] acc 0.5 conf 0.9, (0.533,0.6] acc 1 conf 0.6
    const cal = expectedCalibrationError([0, 1, 1], [0.9, 0.1, 0.9, 0.1, 0.4, 0.6]);
    expect(cal.ece).toBeCloseTo((2 / 3) * 0.4 + (1 / 3) * 0.4);
    expect(cal.bins).toHaveLength(15);
    expect(cal.bins.reduce((s, b) => s + b.count, 0)).toBe(3);
  });

  it('is ~0 for calibrated predictions and large for overconfident ones', () => {
    const calibrated = synthetic(20_000, (c) => c);
    expect(expectedCalibrationError(calibrated.labels, calibrated.probs).ece).toBeLessThan(0.02);
    const overconfident = synthetic(20_000, (c) => c * 0.7);
    expect(expectedCalibrationError(overconfident.labels, overconfident.probs).ece).toBeGreaterThan(0.15);
  });
});
