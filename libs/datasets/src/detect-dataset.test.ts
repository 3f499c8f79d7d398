import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '@inkwell/contracts';
import { Rng } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDataset } from './detect-dataset';
import type { UploadedFile } from './detected-dataset';
import { csvLines, digitPng, mnistSample, writeCsv, writeIdxPair, writeNpyPair, writeZip, zipEntries } from './testing/dataset-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'inkwell-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const set = mnistSample(20);
const sub = (name: string): string => mkdtempSync(join(dir, `${name}-`));

function file(name: string, bytes: Uint8Array | string): UploadedFile {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, name };
}

async function refusal(files: UploadedFile[]): Promise<{ code: string; details: unknown }> {
  try {
    await detectDataset(files);
  } catch (e) {
    if (isAppError(e)) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('accepted');
}

describe('detectDataset: the four formats', () => {
  it('finds an IDX pair, raw or gzipped, in either order', async () => {
    const raw = writeIdxPair(sub('idx'), set);
    expect(await detectDataset(raw)).toEqual({ format: 'idx', images: raw[0]?.path, labels: raw[1]?.path });
    const gz = writeIdxPair(sub('idxgz'), set, { gzip: true });
    expect(await detectDataset([...gz].reverse())).toEqual({ format: 'idx', images: gz[0]?.path, labels: gz[1]?.path });
  });

  it('finds a CSV with or without its header', async () => {
    expect(await detectDataset([writeCsv(sub('csv'), csvLines(set))])).toMatchObject({ format: 'csv', header: false });
    expect(await detectDataset([writeCsv(sub('csvh'), csvLines(set), { header: true })])).toMatchObject({ format: 'csv', header: true });
  });

  it('finds an NPY pair, uint8 or float32', async () => {
    const u8 = writeNpyPair(sub('npy'), set);
    expect(await detectDataset([...u8].reverse())).toEqual({ format: 'npy', images: u8[0]?.path, labels: u8[1]?.path });
    expect(await detectDataset(writeNpyPair(sub('npyf'), set, { dtype: 'float32' }))).toMatchObject({ format: 'npy' });
  });

  it('finds a ZIP of class folders', async () => {
    expect(await detectDataset([writeZip(sub('zip'), await zipEntries(mnistSample(5)))])).toMatchObject({ format: 'zip' });
  });
});

describe('detectDataset: refusals, at once', () => {
  it('refuses random bytes, a PDF and a single PNG as unsupported media, naming what is expected', async () => {
    const rng = new Rng(1);
    const random = file('noise.bin', Uint8Array.from({ length: 5000 }, () => rng.int(256)));
    const pdf = file('paper.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
    const png = file('digit.png', await digitPng(set, 1));
    for (const f of [random, pdf, png]) {
      const r = await refusal([f]);
      expect(r.code).toBe('unsupported_media_type');
      expect(r.details).toMatchObject({ expected: expect.arrayContaining([expect.stringMatching(/^CSV/)]) });
    }
    expect((await refusal([pdf])).details).toMatchObject({ found: [{ name: 'paper.pdf', is: 'a PDF document' }] });
  });

  it('refuses a CSV whose rows are not label + 784 pixels', async () => {
    const r = await refusal([file('iris.csv', 'a,b,c\n1,2,3\n4,5,6\n')]);
    expect(r).toMatchObject({ code: 'validation_failed', details: { found_columns: 3, expected_columns: 785 } });
  });

  it('refuses half a pair, a mixed pair, too many files and a ZIP without class folders', async () => {
    const idx = writeIdxPair(sub('half'), set);
    const npy = writeNpyPair(sub('mixed'), set);
    expect((await refusal([idx[0] as UploadedFile])).code).toBe('validation_failed');
    expect((await refusal([idx[0] as UploadedFile, npy[1] as UploadedFile])).code).toBe('validation_failed');
    expect((await refusal([idx[0] as UploadedFile, idx[0] as UploadedFile])).code).toBe('validation_failed');
    expect((await refusal([...idx, ...npy])).code).toBe('validation_failed');
    expect((await refusal([writeZip(sub('nozip'), [{ name: 'readme.txt', data: Buffer.from('hello') }])])).code).toBe('validation_failed');
    expect((await refusal([file('empty.csv', '')])).code).toBe('unsupported_media_type');
  });
});
