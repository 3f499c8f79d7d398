import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDataset } from './detect-dataset';
import { csvLines, mnistSample } from './testing/dataset-fixtures';
import { validateDataset } from './validate-detected';

const dir = mkdtempSync(join(tmpdir(), 'inkwell-large-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 200_000;

/** 200k distinct rows (~330 MB): 500 MNIST digits, each copy with two corner pixels set to its row number. */
async function writeLargeCsv(path: string): Promise<void> {
  // Each line is label, the two varying pixels, then the digit's other 782 pixels (precomputed).
  const base = csvLines(mnistSample(500)).map((l) => {
    const f = l.split(',');
    return { label: f[0] as string, tail: f.slice(3).join(',') };
  });
  const out = createWriteStream(path);
  for (let r = 0; r < ROWS; r++) {
    const b = base[r % 500] as { label: string; tail: string };
    if (!out.write(`${b.label},${r % 256},${Math.floor(r / 256) % 256},${b.tail}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('validating a large CSV', () => {
  it('streams: heap growth stays far below the file size', async () => {
    const path = join(dir, 'large.csv');
    await writeLargeCsv(path);
    const fileBytes = statSync(path).size;
    expect(fileBytes).toBeGreaterThan(200 * 1024 * 1024);
    global.gc?.();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    };
    const started = performance.now();
    const detected = await detectDataset([{ path, name: 'large.csv' }]);
    const { report, stats } = await validateDataset(detected, { onProgress: sample, progressEvery: 5_000 });
    sample();
    expect(report).toMatchObject({ valid: true, accepted: ROWS, problems: [] });
    expect(stats.count).toBe(ROWS);
    // Loose bounds (the GC runs when it likes): the file is ~330 MB, holding it would add far more.
    const heapGrowth = peakHeap - before.heapUsed;
    const rssGrowth = peakRss - before.rss;
    console.log(`large CSV: ${(fileBytes / 2 ** 20).toFixed(0)} MB, heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MB, RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MB, validated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(128 * 1024 * 1024);
  }, 300_000);
});
