import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhotoFixtures } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';
import type { PreprocessGate } from './preprocess-gate';

let svc: InferenceApp; // one place in the queue, a 10 ms deadline
let roomy: InferenceApp; // one place in the queue, a minute's deadline
let server: Server;
let port: number;

beforeAll(async () => {
  const model = await ensureTestModel();
  const common = { INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_MAX_QUEUE: '1', INFERENCE_WORKERS: '1' };
  [svc, roomy] = await Promise.all([startInferenceApp({ ...common, INFERENCE_TIMEOUT_MS: '10' }), startInferenceApp({ ...common, INFERENCE_TIMEOUT_MS: '60000' })]);
  await waitFor(() => svc.runtime.active.set !== null && roomy.runtime.active.set !== null, 60_000, 'models loaded');
  server = createServer(roomy.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await Promise.all([svc.close(), roomy.close()]);
});

/** Takes every preprocessing place with work that waits until `release` (as slow photos would). */
function holdEveryPlace(gate: PreprocessGate): { release: () => void; holders: Promise<void>[] } {
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  return { release, holders: Array.from({ length: gate.limit }, () => gate.run(() => held, new AbortController().signal)) };
}

const photo = async (): Promise<Buffer> => {
  const [f] = await makePhotoFixtures({ count: 1, seed: 3 });
  if (!f) throw new Error('no fixture');
  return Buffer.from(f.bytes);
};

describe('overload and deadlines', () => {
  it('answers 503 service_unavailable at once when admitted requests fill the queue', async () => {
    const holder = new EventEmitter(); // stands for a request the engine is still working on
    expect(roomy.runtime.admission.claim(holder)).toBe(true);
    const start = performance.now();
    const res = await request(roomy.app).post('/v1/read').set(roomy.headers()).attach('file', await photo(), 'a.png');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBe('1');
    expect(performance.now() - start).toBeLessThan(1000);
    holder.emit('close');
    expect(roomy.runtime.admission.inFlight).toBe(0);
    expect((await request(roomy.app).post('/v1/read').set(roomy.headers()).attach('file', await photo(), 'a.png')).status).toBe(200);
  });

  it('holds no place for a client still sending its upload, so reads go on meanwhile', async () => {
    const stalled = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...roomy.headers(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': '100000' } });
    stalled.on('error', () => undefined);
    stalled.write('--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n');
    await waitFor(() => new Promise<boolean>((r) => server.getConnections((_e, n) => r(n >= 1))), 5000, 'stalled upload connected');
    const bytes = await photo();
    for (let i = 0; i < 3; i++) {
      const res = await request(roomy.app).post('/v1/read').set(roomy.headers()).attach('file', bytes, 'a.png');
      expect(res.status).toBe(200);
    }
    expect(roomy.runtime.admission.inFlight).toBe(0);
    stalled.destroy();
  });

  it('takes a read out of the preprocessing line when its client leaves', async () => {
    const gate = roomy.runtime.gate;
    const { release, holders } = holdEveryPlace(gate);
    const bytes = await photo();
    const head = `--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), bytes, Buffer.from('\r\n--b--\r\n')]);
    const client = httpRequest({ port, method: 'POST', path: '/v1/read', headers: { ...roomy.headers(), 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(body.length) } });
    client.on('error', () => undefined);
    client.end(body);
    await waitFor(() => gate.queued === 1, 5000, 'read waiting for preprocessing');
    client.destroy();
    await waitFor(() => gate.queued === 0, 5000, 'abandoned read left the line');
    release();
    await Promise.all(holders);
    await waitFor(() => roomy.runtime.admission.inFlight === 0, 5000, 'place given back');
  });

  it('answers 504 timeout when reading takes longer than the deadline', async () => {
    // Every preprocessing place is held (as by slow photos), so the read waits past its 10 ms.
    const gate = svc.runtime.gate;
    const { release, holders } = holdEveryPlace(gate);
    const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', await photo(), 'a.png');
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('timeout');
    expect(gate.queued).toBe(0); // it left the line when its deadline passed
    release();
    await Promise.all(holders);
  });
});
