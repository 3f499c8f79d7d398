import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadLimits, ReadResponse, formatReadReply } from '@inkwell/contracts';
import { makePhonePhoto } from '@inkwell/imaging';
import { isRefusal, listModelFolders, readModelFolder } from '@inkwell/model-artifacts';
import { startPlatform, type Platform } from '../harness/platform';

const DEFAULT_MODEL_DIR = 'models';
const MB = 1024 * 1024;

/** The committed default ensemble, when it exists and matches this pipeline; else the test model serves. */
async function defaultModels(): Promise<boolean> {
  for (const f of await listModelFolders(DEFAULT_MODEL_DIR)) if (!isRefusal(await readModelFolder(DEFAULT_MODEL_DIR, f))) return true;
  return false;
}

let p: Platform;

beforeAll(async () => {
  // Default limits (no INFERENCE_MAX_* here): what a guest with a phone meets.
  p = await startPlatform({ env: (await defaultModels()) ? { INFERENCE_MODEL_DIR: DEFAULT_MODEL_DIR, RATE_LIMIT_GUEST: '1000' } : { RATE_LIMIT_GUEST: '1000' } });
});
afterAll(() => p.close());

const read = (bytes: Uint8Array) => request(p.url).post('/v1/read').attach('file', Buffer.from(bytes), { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' });

describe('a full-size phone photo through the gateway', () => {
  it('GET /v1/limits says a 12-megapixel photo of up to 5 MB is accepted', async () => {
    const res = await request(p.url).get('/v1/limits');
    expect(res.status).toBe(200);
    const limits = ReadLimits.parse(res.body);
    expect(limits.max_upload_bytes).toBe(5 * MB);
    expect(limits.max_pixels).toBeGreaterThanOrEqual(4032 * 3024);
    expect(limits.max_side_px).toBeGreaterThanOrEqual(4032);
  });

  it('a 4032x3024 JPEG of 2-4 MB is read as its digit, landscape and portrait (EXIF orientation 6)', async () => {
    // 7, 2 and 1 (MNIST test 0-2): asymmetric digits, wrong if the photo were read on its side.
    for (const [mnistIndex, orientation] of [[0, 1], [1, 6], [2, 1]] as const) {
      const photo = await makePhonePhoto({ mnistIndex, seed: 3, orientation });
      expect(photo.bytes.length).toBeGreaterThan(2 * MB);
      expect(photo.bytes.length).toBeLessThan(4 * MB);
      const res = await read(photo.bytes);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(ReadResponse.parse(res.body).digit, `mnist ${mnistIndex}, orientation ${orientation}`).toBe(photo.label);
    }
  });

  it("gives seed 004's Discord reply from the response as it arrives", async () => {
    const photo = await makePhonePhoto({ mnistIndex: 0, seed: 4 });
    const res = await read(photo.bytes);
    expect(res.status).toBe(200);
    const body = ReadResponse.parse(res.body);
    const reply = formatReadReply(body);
    const m = /^Digit: (\d) \((\d{1,3}\.\d)% confidence\)\. Top-3: (\d)=(\d\.\d{3}), (\d)=(\d\.\d{3}), (\d)=(\d\.\d{3})\. Model: (\S+)$/.exec(reply);
    expect(m, reply).not.toBeNull();
    if (!m) return;
    expect(Number(m[1])).toBe(body.digit);
    expect(Number(m[2])).toBeCloseTo(body.confidence * 100, 1);
    // The top-3 are the response's three most probable digits, highest first, the read digit first.
    expect(Number(m[3])).toBe(body.digit);
    const ranked = body.probs.map((prob, digit) => ({ digit, prob })).sort((a, b) => b.prob - a.prob);
    expect([m[3], m[5], m[7]].map(Number)).toEqual(ranked.slice(0, 3).map((r) => r.digit));
    expect(Number(m[4])).toBeCloseTo(ranked[0]?.prob ?? NaN, 3);
    expect(m[9]).toBe(body.model_id);
  });
});
