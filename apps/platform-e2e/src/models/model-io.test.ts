/* eslint-disable @nx/enforce-module-boundaries -- the small trained model comes from inference's test helper, as the harness's does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, ModelComparisonView, ModelImportResult, ModelManifest, ModelMetrics, ModelVersion } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { type Dim, GraphBuilder } from '@inkwell/onnx';
import { ensureTestModel, type TestModel } from '../../../inference/src/testing/test-model';
import { trainerService } from '../../../trainer/src/service';
import { startPlatform, type Platform } from '../harness/platform';
import { argmax, getAs, mnistTestFile, readyVersion as readyVersion_, unzip } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

const IMPORT_CAP = 4 * 1024 * 1024;

let p: Platform;
let engineer: Session;
let viewer: Session;
let dataDir: string;
let trained: TestModel;
let db: Db;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'model-io-e2e-'));
  trained = await ensureTestModel();
  // A small import cap, so the size check is shown with megabytes rather than a gigabyte upload.
  p = await startPlatform({ env: { DATA_DIR: dataDir, TRAINER_MAX_IMPORT_BYTES: String(IMPORT_CAP) } });
  db = createDb({ url: p.env.database.url, schema: trainerService.schema, poolMax: 1 });
  const admin = await signInAdmin(p);
  [engineer, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 180_000);
afterAll(async () => {
  await db?.destroy();
  await p?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (who: Session, path: string) => getAs(p, who, path);
const upload = (who: Session, bytes: Uint8Array, filename = 'model.onnx', fields: Record<string, string> = {}) => {
  let r = request(p.url).post('/api/models/import').set('Authorization', `Bearer ${who.access}`);
  for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
  return r.attach('model', Buffer.from(bytes), filename);
};

const readyVersion = (id: string) => readyVersion_(p, viewer, id, 120_000);

/** A linear digit model (fixed pseudo-random weights) built here, bent per test like a foreign export would be. */
function linearModel(o: { input?: readonly Dim[]; logits?: boolean; classes?: number; customOp?: boolean } = {}): Uint8Array {
  const classes = o.classes ?? 10;
  const input = o.input ?? ['N', 1, 28, 28];
  const g = new GraphBuilder('linear');
  const x = g.input('pixels', 'float32', input);
  const flat = input.length === 2 ? x : g.node('Flatten', [x], { axis: 1 });
  const w = g.initializer('w', 'float32', [classes, 784], Array.from({ length: classes * 784 }, (_, i) => Math.sin(i * 0.7) * 0.05));
  let y = g.node('Gemm', [flat, w], { transB: 1 });
  if (o.customOp) y = g.node('Boost', [y], {}, { domain: 'com.example' });
  const out = o.logits ? g.rename(y, 'scores') : g.node('Softmax', [y], { axis: 1 }, { outputs: ['probs'] });
  g.output(out, 'float32', ['N', classes]);
  return g.toModel({ opsets: o.customOp ? { '': 17, 'com.example': 1 } : { '': 17 } });
}

/** A model's raw outputs on the first `count` test digits, run here in onnxruntime-node (not through the trainer's code). */
async function outputsOf(model: Uint8Array, io: { input: string; output: string; shape: 'nchw' | 'flat' }, count: number): Promise<Float32Array> {
  const set = mnistTestFile();
  const session = await ort.InferenceSession.create(model);
  const out = new Float32Array(count * 10);
  for (let from = 0; from < count; from += 1000) {
    const n = Math.min(1000, count - from);
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) x[i] = ((set.pixels[from * 784 + i] ?? 0) / 255 - 0.1307) / 0.3081;
    const r = await session.run({ [io.input]: new ort.Tensor('float32', x, io.shape === 'nchw' ? [n, 1, 28, 28] : [n, 784]) });
    out.set(r[io.output]?.data as Float32Array, from * 10);
  }
  await session.release();
  return out;
}

describe('model import, compare and export through the gateway', () => {
  let trainedVersion: ModelVersion;
  let linearVersion: ModelVersion;

  it('imports the platform’s own kind of model as is and evaluates it on the MNIST test split', async () => {
    const res = await upload(engineer, trained.onnx, 'mlp.onnx', { name: 'mlp from elsewhere' }).expect(202);
    const result = ModelImportResult.parse(res.body);
    expect(result.version).toMatchObject({ source: 'imported', status: 'evaluating', name: 'mlp from elsewhere', test_set: 'mnist:test', created_by: engineer.userId });
    expect(result.checks).toMatchObject({ input: { name: 'image', shape: '[N,1,28,28]' }, output: { name: 'probs', kind: 'probs' }, rewritten: false });
    trainedVersion = await readyVersion(result.version.id);
    const metrics = ModelMetrics.parse((await get(viewer, `/api/models/${trainedVersion.id}/metrics`).expect(200)).body);
    const probs = await outputsOf(trained.onnx, { input: 'image', output: 'probs', shape: 'nchw' }, 10_000);
    const labels = mnistTestFile().labels;
    const right = Array.from(labels).filter((l, i) => argmax(probs, i) === l).length;
    expect(metrics).toMatchObject({ test_set: 'mnist:test', count: 10_000 });
    expect(Math.abs(metrics.accuracy - right / 10_000)).toBeLessThan(1e-12);
  });

  it('imports a [N,784] model that outputs logits: stored in the platform’s form, scored like its own argmax', async () => {
    const bytes = linearModel({ input: ['N', 784], logits: true });
    const result = ModelImportResult.parse((await upload(engineer, bytes, 'linear.onnx').expect(202)).body);
    expect(result.checks).toMatchObject({ input: { shape: '[N,784]' }, output: { name: 'scores', kind: 'logits' }, rewritten: true });
    linearVersion = await readyVersion(result.version.id);
    const scores = await outputsOf(bytes, { input: 'pixels', output: 'scores', shape: 'flat' }, 10_000);
    const labels = mnistTestFile().labels;
    const right = Array.from(labels).filter((l, i) => argmax(scores, i) === l).length;
    expect(Math.abs((linearVersion.accuracy ?? -1) - right / 10_000)).toBeLessThan(1e-12);
  });

  it.each<[string, () => Uint8Array, string, RegExp]>([
    ['a wrong input shape', () => linearModel({ input: ['N', 1, 32, 32] }), 'input', /^input check failed: .*\[N,1,32,32\]/],
    ['a wrong output shape', () => linearModel({ classes: 12 }), 'output', /^output check failed: .*\[N,12\]/],
    ['a custom operator', () => linearModel({ customOp: true }), 'custom_operator', /^custom operator check failed: .*com\.example::Boost/],
    ['a truncated file', () => trained.onnx.subarray(0, Math.floor(trained.onnx.length / 2)), 'parse', /^parse check failed: /],
  ])('refuses %s with 400 invalid_model naming the check, and registers nothing', async (_name, model, check, message) => {
    const before = (await get(viewer, '/api/models?source=imported').expect(200)).body as { total: number };
    const res = await upload(engineer, model()).expect(400);
    const body = ErrorBody.parse(res.body);
    expect(body.code).toBe('invalid_model');
    expect(body.details).toMatchObject({ check });
    expect(body.message).toMatch(message);
    expect(((await get(viewer, '/api/models?source=imported').expect(200)).body as { total: number }).total).toBe(before.total);
  });

  it('refuses a file over the import cap with 413 while it streams (size check)', async () => {
    const res = await upload(engineer, new Uint8Array(IMPORT_CAP + 1024 * 1024)).expect(413);
    const body = ErrorBody.parse(res.body);
    expect(body).toMatchObject({ code: 'too_large', details: { check: 'size' } });
    expect(body.message).toMatch(/^size check failed: /);
  });

  it('lets only engineers and admins import', async () => {
    expect(ErrorBody.parse((await upload(viewer, linearModel()).expect(403)).body).code).toBe('forbidden');
  });

  it('compares two versions on the shared test set: deltas, confusions, discordant digits and McNemar', async () => {
    const res = await get(viewer, `/api/models/compare?a=${trainedVersion.id}&b=${linearVersion.id}`).expect(200);
    const cmp = ModelComparisonView.parse(res.body);
    const labels = mnistTestFile().labels;
    const a = await outputsOf(trained.onnx, { input: 'image', output: 'probs', shape: 'nchw' }, 10_000);
    const b = await outputsOf(linearModel({ input: ['N', 784], logits: true }), { input: 'pixels', output: 'scores', shape: 'flat' }, 10_000);
    const onlyA = new Array<number>(10).fill(0);
    const onlyB = new Array<number>(10).fill(0);
    labels.forEach((l, i) => {
      const ra = argmax(a, i) === l, rb = argmax(b, i) === l;
      if (ra && !rb) onlyA[l] = (onlyA[l] ?? 0) + 1;
      if (rb && !ra) onlyB[l] = (onlyB[l] ?? 0) + 1;
    });
    expect(cmp).toMatchObject({ test_set: 'mnist:test', count: 10_000, a: { id: trainedVersion.id }, b: { id: linearVersion.id } });
    expect(cmp.only_a_right.per_class).toEqual(onlyA);
    expect(cmp.only_b_right.per_class).toEqual(onlyB);
    expect(cmp.mcnemar).toMatchObject({ b: cmp.only_a_right.total, c: cmp.only_b_right.total, method: 'chi_square_corrected' });
    // A trained MLP against fixed random weights: the difference is anything but chance.
    expect(cmp.mcnemar.p_value).toBeLessThan(1e-6);
    expect(cmp.deltas.accuracy).toBeCloseTo((linearVersion.accuracy ?? 0) - (trainedVersion.accuracy ?? 0), 12);
    cmp.confusion.difference.forEach((row, t) => row.forEach((d, q) => expect(d).toBe((cmp.confusion.b[t]?.[q] ?? 0) - (cmp.confusion.a[t]?.[q] ?? 0))));
  });

  it('refuses to compare versions tested on different test sets with 409', async () => {
    const other = ModelImportResult.parse((await upload(engineer, linearModel()).expect(202)).body).version;
    await readyVersion(other.id);
    // A version scored elsewhere: trained versions of uploaded datasets are tested on `<dataset>:test`.
    await db('model_versions').where({ id: other.id }).update({ test_set: 'other-dataset:test' });
    const res = await get(viewer, `/api/models/compare?a=${trainedVersion.id}&b=${other.id}`).expect(409);
    const body = ErrorBody.parse(res.body);
    expect(body).toMatchObject({ code: 'conflict', details: { a_test_set: 'mnist:test', b_test_set: 'other-dataset:test' } });
    expect(body.message).toMatch(/different test sets/);
  });

  it('exports a ZIP whose size HEAD and GET both announce, and whose model gives the same probabilities on 100 test digits', async () => {
    const url = `${p.url}/api/models/${trainedVersion.id}/export`;
    const auth = { Authorization: `Bearer ${viewer.access}` };
    const head = await fetch(url, { method: 'HEAD', headers: auth });
    const res = await fetch(url, { headers: auth });
    expect([head.status, res.status]).toEqual([200, 200]);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(Number(res.headers.get('content-length'))).toBe(zip.length);
    expect(head.headers.get('content-length')).toBe(res.headers.get('content-length'));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const files = await unzip(zip);
    expect([...files.keys()].sort()).toEqual(['manifest.json', 'metrics.json', 'model.onnx']);
    const model = files.get('model.onnx');
    if (!model) throw new Error('no model.onnx');
    const manifest = ModelManifest.parse(JSON.parse(files.get('manifest.json')?.toString('utf8') ?? ''));
    expect(manifest).toMatchObject({ input_name: 'image', output_name: 'probs', normalization: { mean: 0.1307, std: 0.3081 } });
    expect(JSON.parse(files.get('metrics.json')?.toString('utf8') ?? '')).toMatchObject({ test_set: 'mnist:test', accuracy: trainedVersion.accuracy });
    const io = { input: 'image', output: 'probs', shape: 'nchw' } as const;
    expect(Array.from(await outputsOf(new Uint8Array(model), io, 100))).toEqual(Array.from(await outputsOf(trained.onnx, io, 100)));
  });
});
