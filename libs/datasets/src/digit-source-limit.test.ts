import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSplit } from './dataset-split';
import { datasetDataSource } from './digit-source';
import { mnistSample, writeIdxPair } from './testing/dataset-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'inkwell-source-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('datasetDataSource with a training-digit limit', () => {
  it('keeps N training digits, the same N on every load, drawn from the whole training part; validation and test stay whole', async () => {
    const set = mnistSample(500);
    const [images, labels] = writeIdxPair(dir, set);
    if (!images || !labels) throw new Error('no fixture');
    const normalized = { images: images.path, labels: labels.path };
    const { record } = makeSplit(set.labels, { method: 'stratified', seed: 3 });
    const whole = await datasetDataSource({ name: 'upload', normalized, split: record }).load();
    const limited = datasetDataSource({ name: 'upload', normalized, split: record, trainLimit: 100 });
    const a = await limited.load();
    const b = await limited.load();
    expect(whole.train.count).toBe(record.counts.train);
    expect(a.train.count).toBe(100);
    expect([a.validation.count, a.test.count]).toEqual([record.counts.validation, record.counts.test]);
    expect(Buffer.from(a.train.pixels).equals(Buffer.from(b.train.pixels))).toBe(true);
    // A seeded pick, not the first 100: some come from past the first 100 training digits.
    expect(Buffer.from(a.train.pixels).equals(Buffer.from(whole.train.pixels.subarray(0, 100 * 784)))).toBe(false);
    // A limit past the training part changes nothing.
    expect((await datasetDataSource({ name: 'upload', normalized, split: record, trainLimit: 10_000 }).load()).train.count).toBe(record.counts.train);
  });
});
