import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserModelSet, ErrorBody } from '@inkwell/contracts';
import { createServiceApp } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel, writeModelFolder } from '../testing/test-model';
import { ActiveSet } from './active-set';
import { browserModelRoutes } from './browser-model.routes';

let dir: string;
let svc: InferenceApp;
let bytes: Record<string, Uint8Array>;

beforeAll(async () => {
  const a = await ensureTestModel();
  const b = await ensureTestModel({ modelId: 'test_mlp_b', arch: { kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 }, seed: 2 });
  dir = await mkdtemp(join(tmpdir(), 'inkwell-browser-models-'));
  // Two different graphs, the second with its own normalisation, so the descriptor's order and
  // per-member fields are checked against something that differs.
  await writeModelFolder(dir, a.onnx, { ...a.manifest, model_id: 'alpha' });
  await writeModelFolder(dir, b.onnx, { ...b.manifest, model_id: 'beta', normalization: { mean: 0.2, std: 0.35 } });
  bytes = { alpha: a.onnx, beta: b.onnx };
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: dir, INFERENCE_WORKERS: '1', INFERENCE_TTA: 'light' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const descriptor = async () => {
  const res = await request(svc.app).get('/v1/models/active/browser').set(svc.headers());
  expect(res.status).toBe(200);
  return BrowserModelSet.parse(res.body);
};
const download = (path: string, headers: Record<string, string> = {}) =>
  request(svc.app)
    .get(path)
    .set({ ...svc.headers(), ...headers })
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('GET /v1/models/active/browser', () => {
  it('describes every member of the active set, in the order the server averages them', async () => {
    const d = await descriptor();
    const set = svc.runtime.active.set;
    if (!set) throw new Error('no set');
    expect(d.model_id).toBe('ensemble_2_models');
    expect(d.tta).toBe('light');
    expect(d.preprocess_hash).toBe(set.manifests[0]?.preprocess_hash);
    expect(d.models).toEqual(
      set.manifests.map((m) => ({
        model_id: m.model_id,
        input_name: m.input_name,
        output_name: m.output_name,
        normalization: m.normalization,
        onnx_bytes: bytes[m.model_id]?.length,
        sha256: sha256(bytes[m.model_id] ?? new Uint8Array()),
        onnx_path: `/v1/models/${m.model_id}/model.onnx`,
      })),
    );
    expect(d.models.map((m) => [m.model_id, m.normalization])).toEqual([
      ['alpha', { mean: 0.1307, std: 0.3081 }],
      ['beta', { mean: 0.2, std: 0.35 }],
    ]);
  });
});

describe('GET /v1/models/{model_id}/model.onnx', () => {
  it('streams each member\'s file, whose SHA-256 is the descriptor\'s, cacheable as immutable', async () => {
    for (const m of (await descriptor()).models) {
      const res = await download(m.onnx_path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-length']).toBe(String(m.onnx_bytes));
      expect(res.headers.etag).toBe(`"${m.sha256}"`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const body = res.body as Buffer;
      expect(body.length).toBe(m.onnx_bytes);
      expect(sha256(body)).toBe(m.sha256);
    }
  });

  it('answers 304 with no body when If-None-Match names the file', async () => {
    const [m] = (await descriptor()).models;
    if (!m) throw new Error('no model');
    const res = await download(m.onnx_path, { 'If-None-Match': `W/"0000", "${m.sha256}"` });
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe(`"${m.sha256}"`);
    expect((res.body as Buffer).length).toBe(0);
    expect((await download(m.onnx_path, { 'If-None-Match': '"another"' })).status).toBe(200);
  });

  it('answers 404 not_found for any id that is not a member of the active set', async () => {
    // A folder on disk that is not loaded, a path-like id and the set's own (ensemble) id.
    for (const id of ['gamma', '..%2F..%2Fetc', 'ensemble_2_models', 'active']) {
      const res = await request(svc.app).get(`/v1/models/${id}/model.onnx`).set(svc.headers());
      expect(res.status).toBe(404);
      expect(ErrorBody.parse(res.body)).toMatchObject({ code: 'not_found', message: 'No model of the active set has this id' });
    }
  });

  it('stops serving a member once a reload drops it', async () => {
    const reload = await request(svc.app).post('/internal/models/reload').set(svc.headers({ kind: 'user', sub: 'u1', role: 'admin' })).send({ model_ids: ['alpha'] });
    expect(reload.status).toBe(200);
    expect((await descriptor()).models.map((m) => m.model_id)).toEqual(['alpha']);
    expect((await request(svc.app).get('/v1/models/beta/model.onnx').set(svc.headers())).status).toBe(404);
    expect((await download('/v1/models/alpha/model.onnx')).status).toBe(200);
  });
});

describe('with no model loaded', () => {
  it('answers 503 service_unavailable for the descriptor and 404 for any file', async () => {
    const { app } = createServiceApp({
      service: 'inference',
      logger: createLogger('inference', 'silent'),
      corsOrigins: [],
      jsonLimit: '1kb',
      readiness: {},
      routes: (a) => a.use(browserModelRoutes({ active: new ActiveSet(() => undefined), tta: 'none', logger: createLogger('inference', 'silent') })),
    });
    const res = await request(app).get('/v1/models/active/browser');
    expect(res.status).toBe(503);
    expect(ErrorBody.parse(res.body).code).toBe('service_unavailable');
    expect((await request(app).get('/v1/models/alpha/model.onnx')).status).toBe(404);
  });
});
