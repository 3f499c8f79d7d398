import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadResponse } from '@inkwell/contracts';
import { makeOtherWriters, makePenDigits, makePhotoFixtures, makeShadowedDigits } from '@inkwell/imaging';
import { isRefusal, listModelFolders, readModelFolder } from '@inkwell/model-artifacts';
import { startPlatform, type Platform } from '../harness/platform';
import { signInAdmin } from '../harness/sessions';

const DEFAULT_MODEL_DIR = 'models';

/** The committed default ensemble, when it exists and matches this pipeline; else null (the test model serves). */
async function defaultModels(): Promise<string[] | null> {
  const folders = await listModelFolders(DEFAULT_MODEL_DIR);
  const valid = [];
  for (const f of folders) if (!isRefusal(await readModelFolder(DEFAULT_MODEL_DIR, f))) valid.push(f);
  return valid.length > 0 ? valid : null;
}

let p: Platform;
let usingDefault: string[] | null;
let token: string;

beforeAll(async () => {
  usingDefault = await defaultModels();
  p = await startPlatform({ env: usingDefault ? { INFERENCE_MODEL_DIR: DEFAULT_MODEL_DIR } : {} });
  token = (await signInAdmin(p)).access;
});
afterAll(() => p.close());

/** Reads each image through the gateway (each must get 200) and says which came back wrong. */
async function misreadsOf(images: readonly { readonly name: string; readonly bytes: Uint8Array; readonly label: number }[], contentType: 'image/png' | 'image/jpeg'): Promise<string[]> {
  const misread: string[] = [];
  for (const d of images) {
    const res = await request(p.url).post('/v1/read').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from(d.bytes), { filename: d.name, contentType });
    expect(res.status, d.name).toBe(200);
    const body = ReadResponse.parse(res.body);
    if (body.digit !== d.label) misread.push(`${d.name} read as ${body.digit} (${body.confidence.toFixed(2)}${body.uncertain ? ', uncertain' : ''})`);
  }
  return misread;
}

describe('reading photos of MNIST test digits through the gateway', () => {
  it('reads photo-like fixtures (>= 98 % with the default ensemble; reported for the test model)', async () => {
    const fixtures = await makePhotoFixtures({ count: usingDefault ? 300 : 100, seed: 2026 });
    const byKind = new Map<string, { ok: number; n: number }>();
    let correct = 0;
    for (let i = 0; i < fixtures.length; i += 8) {
      const chunk = fixtures.slice(i, i + 8);
      const answers = await Promise.all(
        chunk.map((f) => request(p.url).post('/v1/read').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from(f.bytes), { filename: f.name, contentType: f.contentType })),
      );
      answers.forEach((res, j) => {
        const f = chunk[j];
        if (!f) return;
        expect(res.status, `${f.name}: ${JSON.stringify(res.body)}`).toBe(200);
        const hit = ReadResponse.parse(res.body).digit === f.label;
        const k = byKind.get(f.kind) ?? { ok: 0, n: 0 };
        byKind.set(f.kind, { ok: k.ok + (hit ? 1 : 0), n: k.n + 1 });
        if (hit) correct++;
      });
    }
    const accuracy = correct / fixtures.length;
    const perKind = Object.fromEntries([...byKind].map(([k, v]) => [k, `${v.ok}/${v.n}`]));
    console.log(`photo-fixture accuracy via /v1/read: ${(accuracy * 100).toFixed(1)} % of ${fixtures.length} (${usingDefault ? `default ensemble ${usingDefault.join(',')}` : 'small test model; the 98 % target applies to the default ensemble'})`, perKind);
    // The small MLP reaches ~90 % on clean MNIST; far below that means preprocessing or serving broke.
    expect(accuracy).toBeGreaterThanOrEqual(usingDefault ? 0.98 : 0.7);
  });

  it('reads digits written with a fine pen on a large page (strokes far thinner than MNIST\'s)', async () => {
    const pens = [...(await makePenDigits(2, [1, 3, 6])), ...(await makePenDigits(4.2, [1, 3, 6, 12]))];
    const misread = await misreadsOf(pens, 'image/png');
    console.log(`fine-pen digits via /v1/read: ${pens.length - misread.length}/${pens.length}`, misread);
    // Before strokes were widened to MNIST's width (preprocess 1.1.0), the default ensemble read 25 of these 35 as a "1".
    expect(misread.length).toBeLessThanOrEqual(usingDefault ? 0 : pens.length / 2);
  });

  it('reads digits with a shadow across them (a hand, a book\'s gutter, a wedge from the edge)', async () => {
    const shadowed = await makeShadowedDigits({ count: 45, seed: 3 });
    const misread = await misreadsOf(shadowed, 'image/jpeg');
    console.log(`shadowed digits via /v1/read: ${shadowed.length - misread.length}/${shadowed.length}`, misread);
    // Before the shadow was split off the ink (preprocess 1.2.0), the default ensemble read about a
    // quarter of these: the shadow joined the strokes and most came out as a confident "1".
    expect(misread.length).toBeLessThanOrEqual(usingDefault ? 2 : shadowed.length / 2);
  });

  it('reads low-resolution digits by other writers, cropped to their ink (blocky, blurred, 17 grey levels)', async () => {
    const images = [...(await makeOtherWriters({ count: 50, seed: 3, source: 'strokes' })), ...(await makeOtherWriters({ count: 50, seed: 3, source: 'mnist' }))];
    const misread: string[] = [];
    for (const d of images) {
      const res = await request(p.url).post('/v1/read').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from(d.bytes), { filename: d.name, contentType: `image/${d.look.format}` });
      // A 1 cropped to its ink can be narrower than the 8 px every image must have: that one is
      // refused as bad_dimensions (400), and counts as misread here.
      if (res.status === 400 && res.body.code === 'bad_dimensions') {
        misread.push(`${d.name} refused: bad_dimensions`);
        continue;
      }
      expect(res.status, `${d.name}: ${JSON.stringify(res.body)}`).toBe(200);
      const body = ReadResponse.parse(res.body);
      if (body.digit !== d.label) misread.push(`${d.name} read as ${body.digit} (${body.confidence.toFixed(2)}${body.uncertain ? ', uncertain' : ''})`);
    }
    console.log(`low-resolution other-writers digits via /v1/read: ${images.length - misread.length}/${images.length}`, misread);
    // Preprocessing 1.2.0 read 61 of these 100 (it thresholded them into blocks or found no ink);
    // 1.3.0 reads them whole with their grey levels: 97 of 100 with the default ensemble.
    expect(misread.length).toBeLessThanOrEqual(usingDefault ? 5 : images.length / 2);
  });

  it('gives the same probabilities for the same image every time', async () => {
    const [f] = await makePhotoFixtures({ count: 1, seed: 5, kinds: ['paper_jpeg'] });
    if (!f) throw new Error('no fixture');
    const runs = await Promise.all(Array.from({ length: 6 }, () => request(p.url).post('/v1/read').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from(f.bytes), { filename: 'a.jpg', contentType: f.contentType })));
    // Once (CI, 7 Dec) one of the six came back without a reading and the status went unsaid: now it is said.
    for (const r of runs) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const probs = runs.map((r) => ReadResponse.parse(r.body).probs);
    for (const pr of probs) expect(pr).toEqual(probs[0]);
  });

  it('serves /v1/models/active, /v1/version and readiness with the ensemble details', async () => {
    const active = await request(p.url).get('/v1/models/active');
    expect(active.status).toBe(200);
    expect(active.body.model_loaded).toBe(true);
    const version = await request(p.url).get('/v1/version');
    expect(version.body).toMatchObject({ service: 'inference', version: expect.any(String) });
    // The public /readyz says only ready or not; the per-dependency detail is for admins.
    const admin = await signInAdmin(p);
    const ready = await request(p.url).get('/readyz?detail=1').set('Authorization', `Bearer ${admin.access}`);
    expect(ready.body.dependencies.inference.detail.dependencies.models.detail).toMatchObject({ model_loaded: true, ensemble_size: active.body.ensemble_size, model_ids: active.body.model_ids });
  });
});
