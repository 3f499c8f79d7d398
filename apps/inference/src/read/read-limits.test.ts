import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, ReadLimits } from '@inkwell/contracts';
import { makePhotoFixtures } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';

let svc: InferenceApp;

beforeAll(async () => {
  const model = await ensureTestModel();
  // Limits other than the defaults, so the answer can only have come from this configuration.
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_WORKERS: '1', INFERENCE_MAX_UPLOAD_BYTES: '40000', INFERENCE_MAX_SIDE_PX: '900', INFERENCE_MAX_PIXELS: '500000' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(() => svc.close());

const limits = async (): Promise<ReadLimits> => {
  const res = await request(svc.app).get('/v1/limits').set(svc.headers());
  expect(res.status).toBe(200);
  return ReadLimits.parse(res.body);
};

describe('GET /v1/limits', () => {
  it('answers the configured upload limits and the accepted types', async () => {
    expect(await limits()).toEqual({ max_upload_bytes: 40_000, max_pixels: 500_000, max_side_px: 900, min_side_px: 8, accepted_types: ['image/png', 'image/jpeg'] });
  });

  it('names the limit /v1/read enforces: one byte more is refused as too_large, a small digit is read', async () => {
    const { max_upload_bytes } = await limits();
    const [photo] = await makePhotoFixtures({ count: 1, seed: 5 });
    if (!photo) throw new Error('no fixture');
    expect(photo.bytes.length).toBeLessThanOrEqual(max_upload_bytes);
    const ok = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(photo.bytes), { filename: 'digit', contentType: photo.contentType });
    expect(ok.status).toBe(200);

    const over = Buffer.alloc(max_upload_bytes + 1);
    over.set(photo.bytes.subarray(0, Math.min(photo.bytes.length, over.length)));
    const refused = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', over, { filename: 'big.png', contentType: 'image/png' });
    expect(refused.status).toBe(413);
    expect(ErrorBody.parse(refused.body).code).toBe('too_large');
  });
});
