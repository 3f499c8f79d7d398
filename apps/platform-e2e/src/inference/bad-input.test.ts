import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadInputs, makePhotoFixtures, type BadInput, type PhotoFixture } from '@inkwell/imaging';
import { startPlatform, type Platform } from '../harness/platform';

let p: Platform;
let bad: Map<string, BadInput>;
let good: PhotoFixture;
let awkward: PhotoFixture[];

beforeAll(async () => {
  p = await startPlatform({ env: { RATE_LIMIT_GUEST: '10000' } });
  bad = new Map((await makeBadInputs()).map((b) => [b.name, b]));
  const photos = await makePhotoFixtures({ count: 3, seed: 11, kinds: ['clean_png', 'png16', 'cmyk_jpeg'] });
  const [first, ...rest] = photos;
  if (!first) throw new Error('no fixtures');
  good = first;
  awkward = rest;
});
afterAll(() => p.close());

const upload = (bytes: Uint8Array, contentType: string) =>
  request(p.url).post('/v1/read').attach('file', Buffer.from(bytes), { filename: 'upload', contentType });

/** After every bad upload the service must still read a good one. */
async function stillServing(): Promise<void> {
  const res = await upload(good.bytes, good.contentType);
  expect(res.status).toBe(200);
}

function input(name: string): BadInput {
  const b = bad.get(name);
  if (!b) throw new Error(`no bad input ${name}`);
  return b;
}

const cases: [string, string, number, string][] = [
  ['an empty file', 'empty', 400, 'invalid_image'],
  ['a truncated PNG', 'truncated_png', 400, 'invalid_image'],
  ['text sent as image/png', 'text', 400, 'invalid_image'],
  ['random bytes', 'random_bytes', 400, 'invalid_image'],
  ['a GIF', 'gif', 415, 'unsupported_media_type'],
  ['a BMP', 'bmp', 415, 'unsupported_media_type'],
  ['a TIFF', 'tiff', 415, 'unsupported_media_type'],
  ['an SVG', 'svg', 415, 'unsupported_media_type'],
  ['a 10000x100 image (too wide)', 'too_wide_10000x100', 400, 'bad_dimensions'],
  ['a blank page', 'blank_page', 400, 'preprocessing_failed'],
];

describe('bad input through the gateway: a clear 4xx, never a 500, and the service keeps serving', () => {
  for (const [what, name, status, code] of cases) {
    it(`${what} -> ${status} ${code}`, async () => {
      const b = input(name);
      const res = await upload(b.bytes, b.contentType);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ code, request_id: expect.any(String), message: expect.any(String) });
      await stillServing();
    });
  }

  it('a file over 5 MB (the default limit) -> 413 too_large', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const res = await upload(big, 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('too_large');
    await stillServing();
  });

  it('a 30000x30000 PNG bomb -> 413 too_large, without the process growing 100 MB', async () => {
    const b = input('png_bomb_30000x30000');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const res = await upload(b.bytes, b.contentType);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('too_large');
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    await stillServing();
  });

  it('a 16-bit PNG and a CMYK JPEG are read', async () => {
    expect(awkward.map((f) => f.kind)).toEqual(['png16', 'cmyk_jpeg']);
    for (const f of awkward) {
      const res = await upload(f.bytes, f.contentType);
      expect(res.status, f.name).toBe(200);
      expect(res.body.digit).toEqual(expect.any(Number));
    }
  });
});
