import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from '@inkwell/model-artifacts';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSplit } from './dataset-split';
import { detectDataset } from './detect-dataset';
import { datasetDataSource } from './digit-source';
import { csvLines, mnistSample, writeCsv } from './testing/dataset-fixtures';
import { validateDataset } from './validate-detected';

const dir = mkdtempSync(join(tmpdir(), 'inkwell-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('datasetDataSource', () => {
  it('feeds trainRecipe the parts of a validated upload that its split record names', async () => {
    const set = mnistSample(200);
    const lines = csvLines(set);
    lines[10] = '12,0,0'; // a bad row: left out, so indices count accepted digits only
    const normalized = { images: join(dir, 'images'), labels: join(dir, 'labels') };
    const { labels } = await validateDataset(await detectDataset([writeCsv(dir, lines)]), { normalized });
    const { record, indices } = makeSplit(labels, { method: 'stratified', seed: 4 });
    const source: DataSource = datasetDataSource({ name: 'upload', normalized, split: record });
    const parts = await source.load();
    expect([parts.train.count, parts.validation.count, parts.test.count]).toEqual([indices.train.length, indices.validation.length, indices.test.length]);
    // Accepted digit k is MNIST digit k for k < 10 and k + 1 after the dropped row.
    const k = indices.test[indices.test.length - 1] as number;
    const original = k < 10 ? k : k + 1;
    expect(parts.test.labels[parts.test.count - 1]).toBe(set.labels[original]);
    expect(Buffer.from(parts.test.pixels.subarray(-784)).equals(Buffer.from(set.pixels.subarray(original * 784, (original + 1) * 784)))).toBe(true);
  });
});
