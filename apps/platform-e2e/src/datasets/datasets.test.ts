import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, DatasetList } from '@inkwell/contracts';
import type { UploadedFile } from '@inkwell/datasets';
import { csvLines, digitPng, mnistSample, writeCsv, writeIdxPair, writeNpyPair, writeZip, zipEntries } from '@inkwell/datasets/testing';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

let p: Platform;
let admin: Session;
let engineerA: Session;
let engineerB: Session;
let viewer: Session;
let dataDir: string;
let fixtures: string;
const set = mnistSample(300);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'datasets-e2e-'));
  fixtures = mkdtempSync(join(tmpdir(), 'datasets-fixtures-'));
  p = await startPlatform({ env: { DATA_DIR: dataDir } });
  admin = await signInAdmin(p);
  [engineerA, engineerB, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 120_000);
afterAll(async () => {
  await p.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(fixtures, { recursive: true, force: true });
});

const dir = (name: string): string => {
  const d = join(fixtures, name);
  mkdirSync(d, { recursive: true });
  return d;
};

function upload(who: Session | null, files: readonly UploadedFile[], name = 'digits') {
  let req = request(p.url).post('/api/datasets');
  if (who) req = req.set('Authorization', `Bearer ${who.access}`);
  req = req.field('name', name).field('description', 'generated from MNIST');
  for (const f of files) req = req.attach('files', f.path, f.name);
  return req;
}

/** Polls the dataset (bounded) until its validation job has finished. */
async function settled(who: Session, id: string, ms = 60_000): Promise<Dataset> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 100))) {
    const res = await request(p.url).get(`/api/datasets/${id}`).set('Authorization', `Bearer ${who.access}`);
    expect(res.status).toBe(200);
    const d = Dataset.parse(res.body);
    if (d.status !== 'validating') return d;
  }
  throw new Error(`dataset ${id} still validating after ${ms} ms`);
}

async function accepted(files: readonly UploadedFile[], who: Session = engineerA): Promise<Dataset> {
  const res = await upload(who, files);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const created = Dataset.parse(res.body);
  expect(created.status).toBe('validating');
  return settled(who, created.id);
}

function blobFiles(): string[] {
  const root = join(dataDir, 'blobs', 'sha256');
  return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
}

describe('uploading each format through the gateway', () => {
  const cases: [string, () => Promise<UploadedFile[]>][] = [
    ['IDX pair (gzipped)', async () => writeIdxPair(dir('idx'), set, { gzip: true })],
    ['CSV with header', async () => [writeCsv(dir('csv'), csvLines(set), { header: true })]],
    ['NPY pair (float32)', async () => writeNpyPair(dir('npy'), set, { dtype: 'float32' })],
    ['ZIP of class folders', async () => [writeZip(dir('zip'), await zipEntries(mnistSample(60)))]],
  ];
  for (const [label, make] of cases) {
    it(`${label}: accepted, validated, with stats and a stratified 80/10/10 split`, async () => {
      const d = await accepted(await make());
      expect(d.status, JSON.stringify(d.report?.problems)).toBe('ready');
      expect(d.report?.valid).toBe(true);
      const n = d.stats?.count ?? 0;
      expect(n).toBe(label.startsWith('ZIP') ? 60 : 300);
      expect(d.stats?.class_counts.reduce((a, b) => a + b, 0)).toBe(n);
      expect(d.split?.spec.method).toBe('stratified');
      // Stratified per class, so each part is about its fraction (rounded class by class).
      const counts = d.split?.counts ?? { train: 0, validation: 0, test: 0 };
      expect(counts.train + counts.validation + counts.test).toBe(n);
      for (const part of ['validation', 'test'] as const) expect(Math.abs(counts[part] - n / 10)).toBeLessThanOrEqual(5);
    }, 90_000);
  }
});

describe('malformed files get a report naming the bad row or file', () => {
  it('CSV: a label 12 on line 6 and a non-numeric cell on line 9', async () => {
    const lines = csvLines(mnistSample(40));
    lines[4] = (lines[4] as string).replace(/^\d/, '12');
    lines[7] = (lines[7] as string).replace(/,(\d+),/, ',x7,');
    const d = await accepted([writeCsv(dir('bad-csv'), lines, { header: true })]);
    expect(d.status).toBe('invalid');
    expect(d.report?.problems.map((x) => [x.kind, x.row])).toEqual([['label_out_of_range', 6], ['non_numeric', 9]]);
    expect(d.split).toBeNull();
  }, 60_000);

  it('IDX: a truncated images file names the first missing image', async () => {
    const full = Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 1, 44, 0, 0, 0, 28, 0, 0, 0, 28]), set.pixels]);
    const d = await accepted(writeIdxPair(dir('bad-idx'), set, { images: full.subarray(0, 16 + 100 * 784 + 300) }));
    expect(d.status).toBe('invalid');
    expect(d.report?.problems).toEqual([expect.objectContaining({ kind: 'truncated', row: 100, file: 'images' })]);
  }, 60_000);

  it('NPY: images of shape [N,27,27] are named as the images file', async () => {
    const files = writeNpyPair(dir('bad-npy'), { ...set, pixels: set.pixels.subarray(0, 300 * 27 * 27) }, { shape: [300, 27, 27] });
    const d = await accepted(files);
    expect(d.status).toBe('invalid');
    expect(d.report?.problems[0]).toMatchObject({ kind: 'wrong_shape', file: 'images' });
  }, 60_000);

  it('ZIP: a corrupt PNG and a stray folder are named by entry', async () => {
    const small = mnistSample(12);
    const entries = await zipEntries(small);
    const broken = entries[4] as { name: string; data: Uint8Array };
    entries[4] = { name: broken.name, data: broken.data.subarray(0, 60) };
    entries.push({ name: 'x/stray.png', data: await digitPng(small, 0) });
    const d = await accepted([writeZip(dir('bad-zip'), entries)]);
    expect(d.status).toBe('invalid');
    expect(d.report?.problems.map((x) => [x.kind, x.file])).toEqual([['unreadable_image', broken.name], ['unknown_class_folder', 'x/stray.png']]);
  }, 60_000);
});

describe('refusals at once', () => {
  it('a file that is not a dataset gets 415 and nothing is stored', async () => {
    const before = blobFiles();
    const d = dir('not-a-dataset');
    const png = join(d, 'photo.png');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(png, await digitPng(set, 1));
    const res = await upload(engineerA, [{ path: png, name: 'photo.png' }]);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    expect(blobFiles()).toEqual(before);
  });

  it('a viewer gets 403 and a guest 401 on upload', async () => {
    const files = [writeCsv(dir('roles'), csvLines(mnistSample(5)))];
    // The gateway answers a refused upload at once and closes the connection without reading the
    // body: sent from a buffer, the small body is written whole before that answer can come (from
    // a file stream, a late chunk could hit the closed socket, EPIPE, and hide the status).
    const buffered = (who: Session | null) => {
      let req = request(p.url).post('/api/datasets');
      if (who) req = req.set('Authorization', `Bearer ${who.access}`);
      for (const f of files) req = req.attach('files', readFileSync(f.path), f.name);
      return req.field('name', 'digits');
    };
    expect((await buffered(viewer)).status).toBe(403);
    expect((await buffered(null)).status).toBe(401);
  });
});

describe('who sees what', () => {
  it("engineer B gets 404 on engineer A's dataset and cannot delete it; A can, then it is gone", async () => {
    const d = await accepted([writeCsv(dir('owned'), csvLines(mnistSample(20)))]);
    const as = (s: Session) => ({ Authorization: `Bearer ${s.access}` });
    expect((await request(p.url).get(`/api/datasets/${d.id}`).set(as(engineerB))).status).toBe(404);
    expect((await request(p.url).delete(`/api/datasets/${d.id}`).set(as(engineerB))).status).toBe(404);
    const listB = DatasetList.parse((await request(p.url).get('/api/datasets').set(as(engineerB))).body);
    expect(listB.items.map((x) => x.id)).not.toContain(d.id);
    const listAdmin = DatasetList.parse((await request(p.url).get('/api/datasets').set(as(admin))).body);
    expect(listAdmin.items.map((x) => x.id)).toContain(d.id);
    expect((await request(p.url).delete(`/api/datasets/${d.id}`).set(as(engineerA))).status).toBe(204);
    expect((await request(p.url).get(`/api/datasets/${d.id}`).set(as(engineerA))).status).toBe(404);
  }, 60_000);

  it('the built-in mnist is listed for every engineer, with its official split, and cannot be deleted', async () => {
    const as = { Authorization: `Bearer ${engineerB.access}` };
    let mnist: Dataset | undefined;
    for (const start = Date.now(); !mnist && Date.now() - start < 60_000; await new Promise((r) => setTimeout(r, 200))) {
      const list = DatasetList.parse((await request(p.url).get('/api/datasets').set(as)).body);
      const found = list.items.find((x) => x.built_in && x.name === 'mnist');
      if (found) mnist = Dataset.parse((await request(p.url).get(`/api/datasets/${found.id}`).set(as)).body);
    }
    expect(mnist).toMatchObject({ status: 'ready', owner_id: null, stats: expect.objectContaining({ count: 70_000 }) });
    expect(mnist?.split?.counts).toEqual({ train: 54_000, validation: 6_000, test: 10_000 });
    const del = await request(p.url).delete(`/api/datasets/${mnist?.id ?? ''}`).set({ Authorization: `Bearer ${admin.access}` });
    expect(del.status).toBe(409);
  }, 90_000);
});
