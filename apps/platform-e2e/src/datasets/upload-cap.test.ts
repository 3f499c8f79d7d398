import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLines, mnistSample, writeCsv } from '@inkwell/datasets/testing';
import { startPlatform, type Platform } from '../harness/platform';
import { signInAdmin } from '../harness/sessions';

let p: Platform;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'upload-cap-'));
  p = await startPlatform({ env: { DATA_DIR: dataDir, TRAINER_MAX_DATASET_BYTES: '100000' } });
}, 120_000);
afterAll(async () => {
  await p.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the dataset size cap', () => {
  it('an upload past TRAINER_MAX_DATASET_BYTES gets 413 and leaves no blob or temp file', async () => {
    const admin = await signInAdmin(p);
    // The built-in mnist goes through the same store at start: wait for it, so every temp file left is the upload's.
    const listed = async () => (await request(p.url).get('/api/datasets').set('Authorization', `Bearer ${admin.access}`)).body.items as { built_in: boolean }[];
    for (const start = Date.now(); !(await listed()).some((d) => d.built_in); await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() - start > 60_000) throw new Error('mnist was not registered within 60 s');
    }
    // ~230 KB of CSV: over the 100 KB cap.
    const file = writeCsv(dataDir, csvLines(mnistSample(100)), { name: 'big.csv' });
    const res = await request(p.url).post('/api/datasets').set('Authorization', `Bearer ${admin.access}`).field('name', 'too big').attach('files', file.path, file.name);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('too_large');
    // Neither the blob (the built-in mnist's may be there) nor a temp file of the upload.
    const hash = createHash('sha256').update(readFileSync(file.path)).digest('hex');
    expect(existsSync(join(dataDir, 'blobs', 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(false);
    const tmp = join(dataDir, 'blobs', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    const list = await request(p.url).get('/api/datasets').set('Authorization', `Bearer ${admin.access}`);
    expect(list.body.items.filter((d: { built_in: boolean }) => !d.built_in)).toEqual([]);
  }, 60_000);
});
