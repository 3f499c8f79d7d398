import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhotoFixtures } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';

let svc: InferenceApp;
let server: Server;
let port: number;

beforeAll(async () => {
  const model = await ensureTestModel();
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_MAX_QUEUE: '1', INFERENCE_TIMEOUT_MS: '10', INFERENCE_WORKERS: '1' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
  server = createServer(svc.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await svc.close();
});

describe('overload and deadlines', () => {
  it('answers 503 service_unavailable at once when the admitted requests fill the queue', async () => {
    // A client that starts an upload and stalls holds the only admission slot.
    const stalled = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...svc.headers(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': '100000' } });
    stalled.on('error', () => undefined);
    stalled.write('--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n');
    await waitFor(() => svc.runtime.admission.inFlight === 1, 5000, 'stalled upload admitted');
    const start = performance.now();
    const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from('x'), 'a.png');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBe('1');
    expect(performance.now() - start).toBeLessThan(1000);
    stalled.destroy();
    await waitFor(() => svc.runtime.admission.inFlight === 0, 5000, 'slot released');
  });

  it('answers 504 timeout when reading takes longer than the deadline', async () => {
    const [f] = await makePhotoFixtures({ count: 1, seed: 1, kinds: ['large_canvas_jpeg'] });
    if (!f) throw new Error('no fixture');
    // A 1000 px lossless page: decoding alone takes longer than the 10 ms deadline.
    const big = await sharp(f.bytes).resize(1000, 1000, { fit: 'fill' }).png({ compressionLevel: 9 }).toBuffer();
    const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', big, { filename: 'page.png', contentType: 'image/png' });
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('timeout');
  });
});
