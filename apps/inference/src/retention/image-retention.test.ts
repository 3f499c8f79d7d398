import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadResponse } from '@inkwell/contracts';
import { makePhotoFixtures, type PhotoFixture } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';

let fixture: PhotoFixture;
let keeping: InferenceApp;
let notKeeping: InferenceApp;

beforeAll(async () => {
  const model = await ensureTestModel();
  const [first] = await makePhotoFixtures({ count: 1, seed: 11 });
  if (!first) throw new Error('no fixture');
  fixture = first;
  [keeping, notKeeping] = await Promise.all([
    startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_IMAGE_RETENTION_DAYS: '7' }),
    startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir }),
  ]);
  await waitFor(() => keeping.runtime.active.set !== null && notKeeping.runtime.active.set !== null, 60_000, 'models loaded');
});
afterAll(async () => {
  await Promise.all([keeping?.close(), notKeeping?.close()]);
});

const upload = (svc: InferenceApp, bytes: Buffer, contentType: string) =>
  request(svc.app).post('/v1/read').set(svc.headers()).attach('file', bytes, { filename: 'digit', contentType });
const rows = (svc: InferenceApp) => svc.ctx.db('retained_images').select('*').orderBy('id');

describe('image retention', () => {
  it('stores no image by default', async () => {
    const res = await upload(notKeeping, Buffer.from(fixture.bytes), fixture.contentType);
    expect(res.status).toBe(200);
    await notKeeping.runtime.retention.stop(); // nothing pending, but wait as if there were
    expect(await rows(notKeeping)).toEqual([]);
  });

  it('purges the images kept while retention was on when the service starts with it off', async () => {
    const db = notKeeping.ctx.db;
    await db('retained_images').insert({ request_id: 'kept-earlier', route: '/v1/read', outcome: 'ok', sha256: 'z', size_bytes: 1, image: Buffer.from([3]) });
    notKeeping.runtime.retention.start(); // as the service does at start
    await waitFor(async () => (await rows(notKeeping)).length === 0, 10_000, 'earlier images purged');
  });

  it('keeps each upload with its answer when retention is on, failures included', async () => {
    const bytes = Buffer.from(fixture.bytes);
    const ok = await upload(keeping, bytes, fixture.contentType);
    expect(ok.status).toBe(200);
    const answer = ReadResponse.parse(ok.body);
    const bad = await upload(keeping, Buffer.from('not an image at all'), 'image/png');
    expect(bad.status).toBe(400);
    await waitFor(async () => (await rows(keeping)).length === 2, 10_000, 'two retained rows');

    const [good, refused] = await rows(keeping);
    expect(good).toMatchObject({
      request_id: ok.headers['x-request-id'],
      route: '/v1/read',
      outcome: 'ok',
      digit: answer.digit,
      model_id: answer.model_id,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size_bytes: bytes.length,
    });
    expect(Buffer.compare(good.image as Buffer, bytes)).toBe(0);
    expect(good.confidence).toBeCloseTo(answer.confidence, 5);
    expect(refused).toMatchObject({ request_id: bad.headers['x-request-id'], outcome: 'invalid_image', digit: null, confidence: null });
  });

  it('purges images older than the retention period and keeps the rest', async () => {
    const db = keeping.ctx.db;
    const before = (await rows(keeping)).length;
    await db('retained_images').insert({ request_id: 'old', route: '/v1/read', outcome: 'ok', sha256: 'x', size_bytes: 1, image: Buffer.from([1]), created_at: db.raw("now() - interval '8 days'") });
    await db('retained_images').insert({ request_id: 'recent', route: '/v1/read', outcome: 'ok', sha256: 'y', size_bytes: 1, image: Buffer.from([2]), created_at: db.raw("now() - interval '6 days'") });
    expect(await keeping.runtime.retention.purge()).toBe(1);
    const left = (await rows(keeping)).map((r: { request_id: string }) => r.request_id);
    expect(left).toHaveLength(before + 1);
    expect(left).toContain('recent');
    expect(left).not.toContain('old');
  });
});
