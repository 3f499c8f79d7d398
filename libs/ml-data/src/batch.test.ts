import { describe, expect, it } from 'vitest';
import { subset, toFloatBatch } from './batch';
import { digitAt, loadMnist } from './idx';

const test = loadMnist('test');

describe('toFloatBatch', () => {
  it('lays out [n,1,28,28] normalised with the MNIST mean and std', () => {
    const batch = toFloatBatch(test, [5, 2]);
    expect(batch.length).toBe(2 * 784);
    const d5 = digitAt(test, 5), d2 = digitAt(test, 2);
    for (const p of [0, 300, 400]) {
      expect(batch[p]).toBeCloseTo(((d5[p] as number) / 255 - 0.1307) / 0.3081, 5);
      expect(batch[784 + p]).toBeCloseTo(((d2[p] as number) / 255 - 0.1307) / 0.3081, 5);
    }
    expect(toFloatBatch(test, [0], { mean: 0, std: 1 })[0]).toBe(0);
  });

  it('rejects an index outside the set', () => {
    expect(() => toFloatBatch(test, [test.count])).toThrow(RangeError);
  });
});

describe('subset', () => {
  it('copies the chosen digits and labels in order', () => {
    const s = subset(test, [9, 3]);
    expect(s.count).toBe(2);
    expect([...s.labels]).toEqual([test.labels[9], test.labels[3]]);
    expect(digitAt(s, 0)).toEqual(Uint8Array.from(digitAt(test, 9)));
  });
});
