import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { ActiveModels, IDENTITY_HEADER, ModelList, ModelManifest, ReadResponse } from '@inkwell/contracts';
import { DEFAULT_IMAGE_LIMITS, preprocess } from '@inkwell/imaging';
import { startPlatform, type Platform } from '../harness/platform';
import { mnistTestFile, readyVersion, unzip, until } from '../harness/models';
import { signInAdmin, type Session } from '../harness/sessions';
import { MODEL_B as B, shippedModels, type ShippedModels } from '../harness/shipped-models';

/*
 * Issue 21, done-when 3: the exported ZIP's model.onnx, loaded in onnxruntime-node, gives the
 * probabilities `/v1/read` answers while serving that version, on 100 MNIST test digits sent as PNGs.
 */

const IMAGES = 100;

let p: Platform;
let shipped: ShippedModels | undefined;
let admin: Session;

beforeAll(async () => {
  shipped = await shippedModels({ name: 'export-read' });
  p = await startPlatform({
    registry: true,
    // Test-time augmentation would average shifted copies the exported model is not fed: off.
    env: { ...shipped.env, INFERENCE_TTA: 'none' },
  });
  admin = await signInAdmin(p);
}, 300_000);

afterAll(async () => {
  await p?.close();
  shipped?.cleanup();
});

const bearer = (s: Session) => ({ Authorization: `Bearer ${s.access}` });

/** What every inference replica serves, asked directly with an identity it signs. */
async function served(): Promise<string[][]> {
  const identity = signIdentity({ kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '127.0.0.1', user_agent: 'e2e' }, p.env.env.INTERNAL_TOKEN_SECRET ?? '');
  return Promise.all(
    p.inferenceUrls.map(async (url) => {
      const a = ActiveModels.parse((await request(url).get('/v1/models/active').set(IDENTITY_HEADER, identity)).body);
      return a.model_loaded ? a.model_ids : [];
    }),
  );
}

/** MNIST test digit `i` (white ink on black, as the files hold it) as a 28x28 grayscale PNG. */
const digitPng = async (pixels: Uint8Array, i: number): Promise<Uint8Array> =>
  new Uint8Array(await sharp(Buffer.from(pixels.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());

describe('an exported version against /v1/read serving it', () => {
  it('the ZIP\'s model.onnx in onnxruntime-node gives /v1/read\'s probabilities on 100 MNIST test PNGs', async () => {
    const versions = ModelList.parse((await request(p.url).get('/api/models').query({ source: 'builtin' }).set(bearer(admin))).body).items;
    const b = versions.find((v) => v.name === B);
    if (!b) throw new Error(`no version named ${B}`);
    await readyVersion(p, admin, b.id, 120_000);
    const promoted = await request(p.url).post(`/api/models/${b.id}/promote`).set(bearer(admin)).send({ reason: 'e2e: export parity' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    await until('every replica to serve B', async () => ((await served()).every((s) => JSON.stringify(s) === JSON.stringify([B])) ? true : null), 30_000);

    const res = await fetch(`${p.url}/api/models/${b.id}/export`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    const onnx = files.get('model.onnx');
    const manifestBytes = files.get('manifest.json');
    if (!onnx || !manifestBytes) throw new Error(`the ZIP holds ${[...files.keys()].join(', ')}`);
    const manifest = ModelManifest.parse(JSON.parse(manifestBytes.toString('utf8')));
    const session = await ort.InferenceSession.create(new Uint8Array(onnx));

    const set = mnistTestFile();
    let worst = 0;
    let changedByPreprocessing = 0;
    let worstRaw = 0;
    try {
      // One read at a time: each is then a batch of one row, as the exported model is run below.
      for (let i = 0; i < IMAGES; i++) {
        const png = await digitPng(set.pixels, i);
        const read = await request(p.url).post('/v1/read').set(bearer(admin)).attach('file', Buffer.from(png), { filename: `${i}.png`, contentType: 'image/png' });
        expect(read.status, JSON.stringify(read.body)).toBe(200);
        const answer = ReadResponse.parse(read.body);
        expect(answer.model_id).toBe(B);

        // /v1/read does not feed the file's pixels: it decodes the PNG and runs the MNIST layout
        // (threshold, crop, resize to 20x20, centre of mass) first. The same function, same
        // options (invert detected, centre true; limits only matter for images past them), gives
        // the 28x28 ink values inference classified; they are then scaled as the worker scales them.
        const pre = await preprocess(png, { center: true, limits: { ...DEFAULT_IMAGE_LIMITS, minSidePx: 8 } });
        if (pre.pixels.some((v, k) => Math.abs(v - (set.pixels[i * 784 + k] ?? 0) / 255) > 1e-6)) changedByPreprocessing++;
        const { mean, std } = manifest.normalization;
        const inv = 1 / std;
        const x = Float32Array.from(pre.pixels, (v) => (v - mean) * inv);
        const out = await session.run({ [manifest.input_name]: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
        const mine = out[manifest.output_name]?.data;
        if (!(mine instanceof Float32Array)) throw new Error('no float32 output');
        for (let c = 0; c < 10; c++) worst = Math.max(worst, Math.abs((mine[c] ?? 0) - (answer.probs[c] ?? 0)));
        // The control: the file's own pixels, not preprocessed, must not pass the same bound.
        const raw = Float32Array.from(set.pixels.subarray(i * 784, (i + 1) * 784), (v) => (v / 255 - mean) * inv);
        const rawOut = (await session.run({ [manifest.input_name]: new ort.Tensor('float32', raw, [1, 1, 28, 28]) }))[manifest.output_name]?.data;
        if (!(rawOut instanceof Float32Array)) throw new Error('no float32 output');
        for (let c = 0; c < 10; c++) worstRaw = Math.max(worstRaw, Math.abs((rawOut[c] ?? 0) - (answer.probs[c] ?? 0)));
      }
    } finally {
      await session.release();
    }
    console.info(`export vs /v1/read on ${IMAGES} MNIST test PNGs: largest probability difference ${worst.toExponential(2)} (${worstRaw.toExponential(2)} when fed the unpreprocessed pixels); preprocessing changed ${changedByPreprocessing} of them`);
    // Identical float32 inputs, the same graph bytes, one row per run, one model and no TTA: the
    // serving path's averaging over one model and one variant is exact, so only onnxruntime's
    // kernel choice between two sessions could differ, by float32 rounding (~1e-7 on values <= 1).
    // 1e-6 allows that and nothing more; a different model or input moves probabilities by >1e-3.
    expect(worst).toBeLessThan(1e-6);
    expect(worstRaw).toBeGreaterThan(1e-3);
  }, 300_000);
});
