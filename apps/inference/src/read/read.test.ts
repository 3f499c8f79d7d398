import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictResponse, ReadResponse } from '@inkwell/contracts';
import { makePhotoFixtures, type PhotoFixture } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';
import { UsageStore } from '../usage/usage.store';
import sharp from 'sharp';
import { digitAt, loadMnist } from '@inkwell/ml-data';

let svc: InferenceApp;
let fixtures: PhotoFixture[];

beforeAll(async () => {
  const model = await ensureTestModel();
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_USAGE_FLUSH_MS: '60000' });
  fixtures = await makePhotoFixtures({ count: 20, seed: 7 });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(() => svc.close());

const read = (f: PhotoFixture, path = '/v1/read') =>
  request(svc.app).post(path).set(svc.headers()).attach('file', Buffer.from(f.bytes), { filename: 'digit', contentType: f.contentType });
const first = (): PhotoFixture => {
  const f = fixtures[0];
  if (!f) throw new Error('no fixtures');
  return f;
};

describe('POST /v1/read', () => {
  it('answers seed 004\'s shape for a photo of a digit', async () => {
    const res = await read(first());
    expect(res.status).toBe(200);
    const body = ReadResponse.parse(res.body);
    expect(body.model_id).toBe('test_mlp_small');
    expect(body.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(body.confidence).toBe(Math.max(...body.probs));
    expect(body.digit).toBe(body.probs.indexOf(body.confidence));
    expect(body.visual_png_b64).toBeNull();
    expect(body.uncertain).toBe(body.confidence < 0.7);
  });

  it('returns the model input as a PNG when visualize=true', async () => {
    const res = await read(first()).field('visualize', 'true');
    expect(res.status).toBe(200);
    const png = Buffer.from(ReadResponse.parse(res.body).visual_png_b64 ?? '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('gives identical probabilities for the same image, alone or batched with others', async () => {
    const f = first();
    const alone = ReadResponse.parse((await read(f)).body).probs;
    const crowd = await Promise.all(Array.from({ length: 16 }, (_, i) => read(i % 2 === 0 ? f : (fixtures[i] ?? f))));
    const same = crowd.filter((_, i) => i % 2 === 0).map((r) => ReadResponse.parse(r.body).probs);
    for (const p of same) expect(p).toEqual(alone);
  });

  it('batches concurrent requests into shared runs', async () => {
    const before = await batchStats();
    const res = await Promise.all(fixtures.slice(0, 16).map((f) => read(f)));
    expect(res.every((r) => r.status === 200)).toBe(true);
    const after = await batchStats();
    const runs = after.count - before.count;
    expect(after.sum - before.sum).toBe(16); // every request ran exactly once...
    expect(runs).toBeLessThan(16); // ...in fewer runs than requests
  });

  it('refuses a request without a file, and a malformed form, with 400 validation_failed', async () => {
    const none = await request(svc.app).post('/v1/read').set(svc.headers()).field('invert', 'true');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('validation_failed');
    const broken = await request(svc.app)
      .post('/v1/read')
      .set(svc.headers())
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc');
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('validation_failed');
    const wrongField = await request(svc.app).post('/v1/read').set(svc.headers()).attach('image', Buffer.from(first().bytes), 'a.png');
    expect(wrongField.status).toBe(400);
    const badFlag = await read(first()).field('invert', 'maybe');
    expect(badFlag.status).toBe(400);
  });

  it('says so when the image came as a text field (a part without a filename)', async () => {
    for (const size of [10, 5000]) {
      const body = `--xyz\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: image/png\r\n\r\n${'a'.repeat(size)}\r\n--xyz--\r\n`;
      const res = await request(svc.app).post('/v1/read').set(svc.headers()).set('Content-Type', 'multipart/form-data; boundary=xyz').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.message).toContain('file part');
    }
  });

  it('refuses a compressed upload with 415 rather than parsing its bytes as a form', async () => {
    const res = await read(first()).set('Content-Encoding', 'gzip');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('refuses requests that did not come through the gateway', async () => {
    const res = await request(svc.app).post('/v1/read').attach('file', Buffer.from(first().bytes), 'a.png');
    expect(res.status).toBe(401);
  });
});

/** Dark ink on white paper, 8x upscaled: `cells` MNIST test digits side by side (or a dash when empty). */
async function page(indices: number[]): Promise<Buffer> {
  const test = loadMnist('test');
  const w = 28 * Math.max(1, indices.length) + 28;
  const px = Buffer.alloc(w * 56, 255);
  indices.forEach((idx, k) => {
    const d = digitAt(test, idx);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[(y + 14) * w + 14 + k * 28 + x] = 255 - (d[y * 28 + x] ?? 0);
  });
  if (indices.length === 0) for (let y = 26; y < 30; y++) px.fill(0, y * w + 10, y * w + w - 10);
  return sharp(px, { raw: { width: w, height: 56, channels: 1 } }).resize(w * 8, 56 * 8).png().toBuffer();
}

describe('uncertain', () => {
  const upload = (png: Buffer) => request(svc.app).post('/v1/read').set(svc.headers()).attach('file', png, { filename: 'p.png', contentType: 'image/png' });

  it('is set when the image plainly holds several separate digits', async () => {
    const res = await upload(await page([0, 1, 2]));
    expect(res.status).toBe(200);
    expect(res.body.uncertain).toBe(true);
  });

  it('is set for a shape that is no digit (a dash)', async () => {
    const res = await upload(await page([]));
    expect(res.status).toBe(200);
    expect(res.body.uncertain).toBe(true);
  });

  it('is not set for one clear digit the model is sure of', async () => {
    const res = await upload(await page([0]));
    expect(res.status).toBe(200);
    expect(res.body.confidence).toBeGreaterThan(0.7);
    expect(res.body.uncertain).toBe(false);
  });
});

describe('POST /api/predict', () => {
  it('answers the PRD shape: confidence in percent, top-3 and timing', async () => {
    const res = await read(first(), '/api/predict');
    expect(res.status).toBe(200);
    const body = PredictResponse.parse(res.body);
    expect(body.top3[0]?.digit).toBe(body.digit);
    expect(body.confidence).toBeCloseTo((body.top3[0]?.prob ?? 0) * 100, 1);
    expect(body.processing_time_ms).toBeGreaterThan(0);
    expect(body.visual_png_b64).toBeUndefined();
  });

  it('returns the model input as a PNG when visualize=true, as /v1/read does', async () => {
    const res = await read(first(), '/api/predict').field('visualize', 'True');
    expect(res.status).toBe(200);
    const png = Buffer.from(PredictResponse.parse(res.body).visual_png_b64 ?? '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('models, readiness and usage', () => {
  it('reports the active model and readiness with ensemble details', async () => {
    const active = await request(svc.app).get('/v1/models/active').set(svc.headers());
    expect(active.body).toMatchObject({ model_loaded: true, model_id: 'test_mlp_small', ensemble_size: 1, schema_version: '1.1', models: [{ execution_provider: 'cpu' }] });
    const ready = await request(svc.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies.models.detail).toEqual({ model_loaded: true, model_id: 'test_mlp_small', manifest_schema_version: '1.1', ensemble_size: 1, model_ids: ['test_mlp_small'] });
  });

  it('writes daily usage counters in batches, without the images', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const store = new UsageStore(svc.ctx.db);
    const before = await store.forDay(day);
    expect(before).toEqual([]); // nothing written per request: the flush interval is a minute here
    await request(svc.app).post('/v1/read').set(svc.headers()).field('x', '1');
    await svc.runtime.usage.flush();
    const rows = await store.forDay(day);
    const count = (metric: string, key = '') => rows.filter((r) => r.route === '/v1/read' && r.metric === metric && r.key === key).reduce((s, r) => s + r.count, 0);
    expect(count('requests')).toBeGreaterThan(20);
    expect(count('errors', 'validation_failed')).toBeGreaterThanOrEqual(4);
    expect(count('requests')).toBe(count('successes') + rows.filter((r) => r.route === '/v1/read' && r.metric === 'errors').reduce((s, r) => s + r.count, 0));
  });

  it('refuses an upload over the limit at once: by its declared length, or as a chunked body grows past it', async () => {
    await listening(async (port) => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...svc.headers(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(50 * 1024 * 1024) } });
        req.on('error', () => undefined);
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.write(`--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n${'x'.repeat(1000)}`); // and nothing more
        setTimeout(() => reject(new Error('no answer before the body')), 10_000);
      });
      expect(status).toBe(413);
      // Chunked (no declared length): refused once it has grown past the limit, before it ends.
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...svc.headers(), 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' } });
        req.on('error', () => undefined);
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n');
        for (let i = 0; i < 96; i++) req.write(Buffer.alloc(64 * 1024, 7)); // 6 MB (the default limit is 5 MB), and the request never ends
        setTimeout(() => reject(new Error('no answer before the body ended')), 10_000);
      });
      expect(chunked).toBe(413);
      // A chunked upload within the limit is read like the rest.
      const f = first();
      const small = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...svc.headers(), 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' } });
        req.on('error', reject);
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.write(`--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\nContent-Type: ${f.contentType}\r\n\r\n`);
        req.write(Buffer.from(f.bytes));
        req.end('\r\n--b--\r\n');
      });
      expect(small).toBe(200);
    });
  });

  it('counts an upload the client abandoned as client_closed, not as a malformed form', async () => {
    await listening(async (port) => {
      const day = new Date().toISOString().slice(0, 10);
      const errors = async (key: string) => {
        await svc.runtime.usage.flush();
        return (await new UsageStore(svc.ctx.db).forDay(day)).filter((r) => r.route === '/v1/read' && r.metric === 'errors' && r.key === key).reduce((n, r) => n + r.count, 0);
      };
      const [closedBefore, malformedBefore] = [await errors('client_closed'), await errors('validation_failed')];
      const socket = connect(port, '127.0.0.1');
      const head = Object.entries({ ...svc.headers(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': '100000' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST /v1/read HTTP/1.1\r\nHost: x\r\n${head}\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n${'x'.repeat(1000)}`);
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      await waitFor(async () => (await errors('client_closed')) === closedBefore + 1, 10_000, 'client_closed counted');
      expect(await errors('validation_failed')).toBe(malformedBefore);
    });
  });

  it('reads a day\'s counters back as that day whatever the time zone (east of UTC too)', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo'; // local midnight there is the previous day in UTC
    try {
      const rows = await new UsageStore(svc.ctx.db).forDay('2020-02-29');
      await svc.ctx.db('usage_counters').insert({ day: '2020-02-29', route: '/v1/read', metric: 'requests', key: '', count: 1 });
      const after = await new UsageStore(svc.ctx.db).forDay('2020-02-29');
      expect(after.length).toBe(rows.length + 1);
      expect(new Set(after.map((r) => r.day))).toEqual(new Set(['2020-02-29']));
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

/** Runs `fn` against the service listening on a real port (for raw sockets and unfinished bodies). */
async function listening(fn: (port: number) => Promise<void>): Promise<void> {
  const server = createServer(svc.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

async function batchStats(): Promise<{ sum: number; count: number }> {
  const text = (await request(svc.app).get('/metrics')).text;
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('inference_batch_requests_sum'), count: value('inference_batch_requests_count') };
}
