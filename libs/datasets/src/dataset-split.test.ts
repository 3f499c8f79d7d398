import { isAppError } from '@inkwell/contracts';
import { loadMnist, stratifiedSplit } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { MNIST_TEST_START } from './builtin-mnist';
import { makeSplit, resolveSplit, SplitRecord } from './dataset-split';
import { digitSource, splitSets } from './digit-source';
import { mnistSample } from './testing/dataset-fixtures';
import { validateBuiltinMnist } from './validate-builtin-mnist';

const sample = mnistSample(1000);
const perClass = (labels: Uint8Array, idx: Uint32Array, k: number): number => [...idx].filter((i) => labels[i] === k).length;

describe('makeSplit: stratified, seeded', () => {
  it('defaults to 80/10/10 with each class in proportion, and partitions the digits', () => {
    const { record, indices } = makeSplit(sample.labels);
    expect(record.spec).toEqual({ method: 'stratified', seed: 0, validation_fraction: 0.1, test_fraction: 0.1 });
    expect(new Set([...indices.train, ...indices.validation, ...indices.test]).size).toBe(1000);
    for (let k = 0; k < 10; k++) {
      const n = sample.labels.filter((l) => l === k).length;
      expect(perClass(sample.labels, indices.validation, k)).toBe(Math.round(0.1 * n));
      expect(perClass(sample.labels, indices.test, k)).toBe(Math.round(0.1 * n));
      expect(record.class_counts.train[k]).toBe(perClass(sample.labels, indices.train, k));
    }
    expect(record.counts.train / 1000).toBeCloseTo(0.8, 1);
  });

  it('gives the same split for the same seed and another for another seed; fractions are configurable', () => {
    const a = makeSplit(sample.labels, { method: 'stratified', seed: 7, validation_fraction: 0.2, test_fraction: 0.3 });
    expect(makeSplit(sample.labels, { method: 'stratified', seed: 7, validation_fraction: 0.2, test_fraction: 0.3 })).toEqual(a);
    expect(makeSplit(sample.labels, { method: 'stratified', seed: 8, validation_fraction: 0.2, test_fraction: 0.3 }).record.index_hash).not.toBe(a.record.index_hash);
    expect(a.record.counts.test).toBeGreaterThan(280);
    expect(a.record.counts.test).toBeLessThan(320);
    expect(() => makeSplit(sample.labels, { method: 'stratified', validation_fraction: 0.5, test_fraction: 0.5 })).toThrow();
  });

  it('a stored record (JSON round trip) redraws the exact indices, and refuses other labels', () => {
    const { record, indices } = makeSplit(sample.labels, { method: 'stratified', seed: 3 });
    const stored = SplitRecord.parse(JSON.parse(JSON.stringify(record)));
    expect(resolveSplit(stored, sample.labels)).toEqual(indices);
    const changed = Uint8Array.from(sample.labels);
    changed[0] = ((changed[0] ?? 0) + 1) % 10;
    const code = (() => {
      try {
        resolveSplit(stored, changed);
        return 'resolved';
      } catch (e) {
        return isAppError(e) ? e.code : String(e);
      }
    })();
    expect(code).toBe('conflict');
  });

  it('splitSets gives the digits of each part', () => {
    const { record, indices } = makeSplit(sample.labels, { method: 'stratified', seed: 1 });
    const parts = splitSets(digitSource(sample), record);
    expect(parts.test.count).toBe(indices.test.length);
    expect(parts.train.labels[0]).toBe(sample.labels[indices.train[0] as number]);
  });
});

describe('the built-in mnist dataset', () => {
  it('validates clean with the official split: 54k train, 6k validation carved from train as the recipes do, 10k test', async () => {
    const { report, stats, split, indices } = await validateBuiltinMnist();
    expect(report).toMatchObject({ format: 'builtin', valid: true, accepted: 70_000, error_count: 0 });
    expect(stats.count).toBe(70_000);
    expect(split.counts).toEqual({ train: 54_000, validation: 6_000, test: 10_000 });
    expect(indices.test[0]).toBe(MNIST_TEST_START);
    const train = loadMnist('train');
    const recipe = stratifiedSplit(train.labels, { validationFraction: 0.1, seed: 0 });
    expect(Buffer.from(indices.validation.buffer).equals(Buffer.from(recipe.validation.buffer))).toBe(true);
    expect(stats.class_counts.reduce((a, b) => a + b, 0)).toBe(70_000);
  });
});
