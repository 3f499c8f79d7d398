import { describe, expect, it } from 'vitest';
import { evaluateClassifier, MetricsReport } from './report';

describe('metrics report', () => {
  it('fills every field of metrics.json and survives a JSON round trip', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 2000;
    const labels = Array.from({ length: n }, () => Math.floor(rand() * 10));
    // a decent classifier: the true class gets a bonus
    const probs: number[] = [];
    for (const l of labels) {
      const raw = Array.from({ length: 10 }, (_, k) => rand() + (k === l ? 1.2 : 0));
      const s = raw.reduce((a, b) => a + b, 0);
      probs.push(...raw.map((v) => v / s));
    }
    const report = evaluateClassifier(labels, probs, { split: 'validation' });
    expect(report.count).toBe(n);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(n);
    expect(report.accuracy).toBeGreaterThan(0.8);
    expect(report.roc.micro.fpr.length).toBeLessThanOrEqual(200);
    expect(report.roc.per_class).toHaveLength(10);
    expect(report.reliability).toHaveLength(15);
    expect(MetricsReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('rejects a report with an accuracy above 1', () => {
    expect(() => MetricsReport.parse({ schema_version: 1, accuracy: 1.5 })).toThrow();
  });
});
