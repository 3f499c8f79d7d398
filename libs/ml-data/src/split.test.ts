import { describe, expect, it } from 'vitest';
import { stratifiedPartition, stratifiedSplit } from './split';

describe('stratifiedSplit', () => {
  // 1000 labels with unequal class sizes: class k has 10*(k+1) + ... items
  const labels = Uint8Array.from({ length: 1100 }, (_, i) => (i * 7) % 11 === 10 ? 0 : ((i * 7) % 11) % 10);

  it('keeps every class proportion and partitions the indices', () => {
    const { train, validation } = stratifiedSplit(labels, { validationFraction: 0.2, seed: 1 });
    expect(train.length + validation.length).toBe(labels.length);
    expect(new Set([...train, ...validation]).size).toBe(labels.length);
    for (let k = 0; k < 10; k++) {
      const total = labels.filter((l) => l === k).length;
      const inVal = [...validation].filter((i) => labels[i] === k).length;
      expect(inVal).toBe(Math.round(0.2 * total));
    }
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = stratifiedSplit(labels, { validationFraction: 0.1, seed: 3 });
    expect(stratifiedSplit(labels, { validationFraction: 0.1, seed: 3 })).toEqual(a);
    expect(stratifiedSplit(labels, { validationFraction: 0.1, seed: 4 }).validation).not.toEqual(a.validation);
  });

  it('rejects a fraction outside (0,1)', () => {
    expect(() => stratifiedSplit(labels, { validationFraction: 1, seed: 1 })).toThrow();
  });
});

describe('stratifiedPartition', () => {
  const labels = Uint8Array.from({ length: 2000 }, (_, i) => (i * 13) % 10);

  it('partitions into train, validation and test with each class in proportion', () => {
    const { train, validation, test } = stratifiedPartition(labels, { validationFraction: 0.1, testFraction: 0.2, seed: 1 });
    expect(new Set([...train, ...validation, ...test]).size).toBe(labels.length);
    expect(train.length + validation.length + test.length).toBe(labels.length);
    for (let k = 0; k < 10; k++) {
      expect([...validation].filter((i) => labels[i] === k).length).toBe(20);
      expect([...test].filter((i) => labels[i] === k).length).toBe(40);
    }
  });

  it('is deterministic for a seed and refuses fractions that leave nothing to train', () => {
    const a = stratifiedPartition(labels, { validationFraction: 0.1, testFraction: 0.1, seed: 5 });
    expect(stratifiedPartition(labels, { validationFraction: 0.1, testFraction: 0.1, seed: 5 })).toEqual(a);
    expect(stratifiedPartition(labels, { validationFraction: 0.1, testFraction: 0.1, seed: 6 }).test).not.toEqual(a.test);
    expect(() => stratifiedPartition(labels, { validationFraction: 0.5, testFraction: 0.5, seed: 1 })).toThrow();
  });
});
