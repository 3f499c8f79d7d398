import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserModelSet, ReadResponse } from '@inkwell/contracts';
import { meanProbs, normalizeForModel, preprocessGray, toGray, ttaBatch } from '@inkwell/imaging/browser';
import { digitAt, loadMnist } from '@inkwell/ml-data';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel, writeModelFolder } from '../testing/test-model';

const SIDE = 256;
let dir: string;
let svc: InferenceApp;

beforeAll(async () => {
  const a = await ensureTestModel();
  const b = await ensureTestModel({ modelId: 'test_mlp_b', arch: { kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 }, seed: 2 });
  dir = await mkdtemp(join(tmpdir(), 'inkwell-browser-parity-'));
  await writeModelFolder(dir, a.onnx, { ...a.manifest, model_id: 'alpha' });
  await writeModelFolder(dir, b.onnx, { ...b.manifest, model_id: 'beta', normalization: { mean: 0.2, std: 0.35 } });
  // strong TTA: 9 rows, rotations and scales included, so every shared step is exercised.
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: dir, INFERENCE_WORKERS: '1', INFERENCE_TTA: 'strong' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * What the web app's canvas holds: an MNIST test digit drawn as black ink on opaque white at
 * 256x256, scaled up with bilinear sampling (so its edges are antialiased grays), as RGBA.
 */
function drawnDigit(digit: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(SIDE * SIDE * 4);
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : (digit[y * 28 + x] ?? 0));
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = ((x + 0.5) * 28) / SIDE - 0.5;
      const sy = ((y + 0.5) * 28) / SIDE - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const ink = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
      const v = Math.round(255 - ink);
      rgba.set([v, v, v, 255], (y * SIDE + x) * 4);
    }
  }
  return rgba;
}

/** The browser's pipeline, step for step, with onnxruntime-node standing in for onnxruntime-web. */
async function readLikeTheBrowser(rgba: Uint8Array, d: BrowserModelSet, sessions: readonly ort.InferenceSession[]): Promise<Float32Array> {
  const gray = toGray(rgba, SIDE * SIDE, 4);
  const core = preprocessGray({ data: gray, width: SIDE, height: SIDE }, { invert: undefined, center: true });
  const batch = ttaBatch(core.pixels, d.tta);
  const mean = new Float32Array(batch.rows * 10);
  for (const [i, m] of d.models.entries()) {
    const session = sessions[i];
    if (!session) throw new Error(`no session for ${m.model_id}`);
    const out = await session.run({ [m.input_name]: new ort.Tensor('float32', normalizeForModel(batch.pixels, m.normalization), [batch.rows, 1, 28, 28]) });
    const probs = out[m.output_name]?.data;
    if (!(probs instanceof Float32Array)) throw new Error(`${m.model_id} gave no float32 ${m.output_name}`);
    for (let j = 0; j < mean.length; j++) mean[j] = (mean[j] ?? 0) + (probs[j] ?? 0);
  }
  const k = 1 / d.models.length;
  for (let j = 0; j < mean.length; j++) mean[j] = (mean[j] ?? 0) * k;
  return meanProbs(mean, batch.rows);
}

describe('the browser pipeline (@inkwell/imaging/browser + the served models)', () => {
  it('answers what /v1/read answers for the same drawing, within 1e-6 in every probability', async () => {
    const d = BrowserModelSet.parse((await request(svc.app).get('/v1/models/active/browser').set(svc.headers())).body);
    expect(d.models).toHaveLength(2);
    const sessions: ort.InferenceSession[] = [];
    for (const m of d.models) {
      const res = await request(svc.app)
        .get(m.onnx_path)
        .set(svc.headers())
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      sessions.push(await ort.InferenceSession.create(new Uint8Array(res.body as Buffer)));
    }
    try {
      const test = loadMnist('test');
      let agreeing = 0;
      for (const index of [0, 1, 2, 3, 4, 7]) {
        const rgba = drawnDigit(digitAt(test, index));
        const png = await sharp(rgba, { raw: { width: SIDE, height: SIDE, channels: 4 } }).png().toBuffer();
        const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', png, { filename: 'drawing.png', contentType: 'image/png' });
        expect(res.status).toBe(200);
        const served = ReadResponse.parse(res.body);
        const local = await readLikeTheBrowser(rgba, d, sessions);
        expect(served.model_id).toBe(d.model_id);
        for (let c = 0; c < 10; c++) expect(Math.abs((local[c] ?? NaN) - (served.probs[c] ?? NaN))).toBeLessThanOrEqual(1e-6);
        if (served.digit === test.labels[index]) agreeing++;
      }
      // The drawings are real digits the models mostly read right (not blank pages that agree trivially).
      expect(agreeing).toBeGreaterThanOrEqual(4);
    } finally {
      for (const s of sessions) await s.release();
    }
  });
});
