import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictResponse } from '@inkwell/contracts';
import { makePenDigits } from '@inkwell/imaging';
import { startPlatform, type Platform } from './harness/platform';

// The documented load test (k6/predict.js) must send what inference reads; it sent the image as
// `image` while inference takes `file`, so every request of the load test failed.
const script = readFileSync(new URL('../../../k6/predict.js', import.meta.url), 'utf8');
const field = /const IMAGE_FIELD = __ENV\.IMAGE_FIELD \|\| '([^']+)'/.exec(script)?.[1];
const path = /http\.post\(`\$\{BASE_URL\}([^`]+)`/.exec(script)?.[1];

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(() => p.close());

describe('k6/predict.js', () => {
  it('posts the image in the multipart field and to the path inference reads', async () => {
    expect(path).toBe('/api/predict');
    const [digit] = await makePenDigits(1, [10]);
    if (!digit || !field || !path) throw new Error('no fixture or no request found in k6/predict.js');
    const res = await request(p.url).post(path).attach(field, Buffer.from(digit.bytes), { filename: 'digit.png', contentType: 'image/png' });
    expect([field, res.status]).toEqual([field, 200]);
    expect(PredictResponse.safeParse(res.body).success).toBe(true);
  });
});
