import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preprocess } from '@inkwell/imaging';
import { type DigitSet, digitAt, parseIdxPair } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetStats } from './dataset-stats';
import { detectDataset } from './detect-dataset';
import { csvLines, digitPng, mnistSample, writeCsv, writeIdxPair, writeNpyPair, writeZip, zipEntries } from './testing/dataset-fixtures';
import { validateDataset } from './validate-detected';

const dir = mkdtempSync(join(tmpdir(), 'inkwell-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sub = (name: string): string => mkdtempSync(join(dir, `${name}-`));
const set = mnistSample(300);

/** The stats computed directly from the digits, the way a reader of the API would check them. */
function directStats(s: DigitSet): Pick<DatasetStats, 'count' | 'class_counts' | 'mean_image' | 'pixel_histogram'> {
  const class_counts = new Array<number>(10).fill(0);
  const sums = new Array<number>(784).fill(0);
  const pixel_histogram = new Array<number>(256).fill(0);
  for (let i = 0; i < s.count; i++) {
    class_counts[s.labels[i] as number]! += 1;
    digitAt(s, i).forEach((v, p) => {
      sums[p]! += v;
      pixel_histogram[v]! += 1;
    });
  }
  return { count: s.count, class_counts, mean_image: sums.map((x) => x / s.count), pixel_histogram };
}

function expectStats(stats: DatasetStats, s: DigitSet): void {
  const want = directStats(s);
  expect(stats.count).toBe(want.count);
  expect(stats.class_counts).toEqual(want.class_counts);
  expect(stats.pixel_histogram).toEqual(want.pixel_histogram);
  stats.mean_image.forEach((m, p) => expect(m).toBeCloseTo(want.mean_image[p] as number, 9));
}

describe('validateDataset: clean files of each format', () => {
  it('IDX (raw and gzipped): valid, stats equal a direct computation, normalized copy equals the input', async () => {
    for (const gzip of [false, true]) {
      const d = sub('idx');
      const normalized = { images: join(d, 'n-images'), labels: join(d, 'n-labels') };
      const { report, stats, labels } = await validateDataset(await detectDataset(writeIdxPair(d, set, { gzip })), { normalized });
      expect(report).toMatchObject({ format: 'idx', valid: true, records_read: 300, accepted: 300, error_count: 0, problems: [] });
      expectStats(stats, set);
      expect(stats.duplicate_count).toBe(0);
      expect(labels).toEqual(set.labels);
      const copy = parseIdxPair(readFileSync(normalized.images), readFileSync(normalized.labels));
      expect(Buffer.from(copy.pixels).equals(Buffer.from(set.pixels))).toBe(true);
      expect(new Uint8Array(copy.labels)).toEqual(new Uint8Array(set.labels));
    }
  });

  it('CSV with and without header', async () => {
    for (const header of [false, true]) {
      const { report, stats } = await validateDataset(await detectDataset([writeCsv(sub('csv'), csvLines(set), { header })]));
      expect(report).toMatchObject({ format: 'csv', valid: true, accepted: 300, problems: [] });
      expectStats(stats, set);
    }
  });

  it('NPY uint8 [N,28,28] and float32 [N,784] in [0,1]', async () => {
    for (const dtype of ['uint8', 'float32'] as const) {
      const { report, stats } = await validateDataset(await detectDataset(writeNpyPair(sub('npy'), set, { dtype })));
      expect(report).toMatchObject({ format: 'npy', valid: true, accepted: 300, problems: [] });
      expectStats(stats, set);
    }
  });

  it('ZIP of class folders: every image goes through the /v1/read preprocessing', async () => {
    const small = mnistSample(40);
    const { report, stats, labels } = await validateDataset(await detectDataset([writeZip(sub('zip'), await zipEntries(small))]));
    expect(report).toMatchObject({ format: 'zip', valid: true, accepted: 40, problems: [] });
    expect(labels).toEqual(small.labels);
    // What inference would feed the model for the same files, as bytes.
    const pixels = new Uint8Array(40 * 784);
    for (let i = 0; i < 40; i++) {
      const pre = await preprocess(await digitPng(small, i), { center: true });
      pre.pixels.forEach((v, p) => (pixels[i * 784 + p] = Math.round(v * 255)));
    }
    expectStats(stats, { ...small, pixels });
  });
});

describe('validateDataset: malformed files get a report naming the bad row or file', () => {
  it('CSV: a short row, a label 12, a non-numeric cell and a pixel 300, by line number', async () => {
    const lines = csvLines(set).slice(0, 30);
    lines[15] = (lines[15] as string).replace(/,\d+$/, ''); // line 17 with the header: 784 fields
    lines[19] = (lines[19] as string).replace(/^\d/, '12');
    lines[22] = (lines[22] as string).replace(/,(\d+),/, ',x7,');
    lines[25] = (lines[25] as string).replace(/,\d+$/, ',300');
    const { report, stats } = await validateDataset(await detectDataset([writeCsv(sub('badcsv'), lines, { header: true })]));
    expect(report.valid).toBe(false);
    expect(report).toMatchObject({ records_read: 30, accepted: 26, rejected: 4, error_count: 4 });
    expect(report.counts_by_kind).toEqual({ wrong_shape: 1, label_out_of_range: 1, non_numeric: 1, pixel_out_of_range: 1 });
    expect(report.problems.map((p) => [p.kind, p.row])).toEqual([['wrong_shape', 17], ['label_out_of_range', 21], ['non_numeric', 24], ['pixel_out_of_range', 27]]);
    expect(report.problems[0]?.message).toMatch(/line 17: expected 785 fields .* found 784/);
    expect(report.problems[2]?.message).toMatch(/"x7"/);
    expect(stats.count).toBe(26);
  });

  it('IDX: a truncated images file (raw or gzipped) names the first missing image', async () => {
    for (const gzip of [false, true]) {
      const full = Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 1, 44, 0, 0, 0, 28, 0, 0, 0, 28]), set.pixels]);
      const cut = full.subarray(0, 16 + 100 * 784 + 300);
      const { report } = await validateDataset(await detectDataset(writeIdxPair(sub('badidx'), set, { gzip, images: cut })));
      expect(report.valid).toBe(false);
      expect(report.accepted).toBe(100);
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'truncated', row: 100, file: 'images' })]);
    }
  });

  it('IDX: labels above 9 and a count mismatch', async () => {
    const labels = Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 1, 43]), set.labels.subarray(0, 299)]);
    labels[8 + 5] = 12;
    const { report } = await validateDataset(await detectDataset(writeIdxPair(sub('badlab'), set, { labels })));
    expect(report.counts_by_kind).toEqual({ count_mismatch: 1, label_out_of_range: 1 });
    expect(report.problems[1]).toMatchObject({ kind: 'label_out_of_range', row: 5, message: expect.stringMatching(/label 12 at index 5/) });
    expect(report).toMatchObject({ records_read: 299, accepted: 298 });
  });

  it('NPY: images of shape [N,27,27] are refused as a whole', async () => {
    const d = sub('badnpy');
    const files = writeNpyPair(d, { ...set, pixels: set.pixels.subarray(0, 300 * 27 * 27) }, { shape: [300, 27, 27] });
    const { report } = await validateDataset(await detectDataset(files));
    expect(report).toMatchObject({ valid: false, accepted: 0, counts_by_kind: { wrong_shape: 1 } });
    expect(report.problems[0]).toMatchObject({ file: 'images', message: expect.stringMatching(/\[300,27,27\]/) });
  });

  it('ZIP: a corrupt PNG and a folder x/ are named by entry', async () => {
    const small = mnistSample(12);
    const entries = await zipEntries(small);
    const broken = entries[4] as { name: string; data: Uint8Array };
    entries[4] = { name: broken.name, data: broken.data.subarray(0, 60) };
    entries.push({ name: 'x/stray.png', data: await digitPng(small, 0) });
    const { report } = await validateDataset(await detectDataset([writeZip(sub('badzip'), entries)]));
    expect(report).toMatchObject({ valid: false, records_read: 13, accepted: 11 });
    expect(report.problems.map((p) => [p.kind, p.file])).toEqual([['unreadable_image', broken.name], ['unknown_class_folder', 'x/stray.png']]);
  });

  it('duplicates are warnings: kept, counted, and named with the row they repeat', async () => {
    const lines = csvLines(set).slice(0, 10);
    lines.push(lines[3] as string, lines[3] as string);
    const { report, stats } = await validateDataset(await detectDataset([writeCsv(sub('dup'), lines)]));
    expect(report).toMatchObject({ valid: true, accepted: 12, warning_count: 2, counts_by_kind: { duplicate: 2 } });
    expect(report.problems[0]).toMatchObject({ kind: 'duplicate', row: 11, message: expect.stringMatching(/#3/) });
    expect(stats.duplicate_count).toBe(2);
  });

  it('lists the first 100 problems and counts them all', async () => {
    const lines = csvLines(set).map((l) => l.replace(/^\d/, '11'));
    const { report } = await validateDataset(await detectDataset([writeCsv(sub('many'), lines)]));
    expect(report).toMatchObject({ error_count: 300, problems_truncated: true, counts_by_kind: { label_out_of_range: 300 } });
    expect(report.problems).toHaveLength(100);
    expect(report.problems[99]?.row).toBe(100);
  });
});
