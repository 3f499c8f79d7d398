/* eslint-disable @nx/enforce-module-boundaries -- the small test model comes from inference's test helper, as the harness's does. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfusionMatrixView, ModelList, ModelManifest, ModelMetrics, ModelVersion, RocCurveView, TrainingJob } from '@inkwell/contracts';
import { ensureTestModel, type TestModel } from '../../../inference/src/testing/test-model';
import { startPlatform, type Platform } from '../harness/platform';
import { getAs, mnistTestFile, readyVersion as readyVersion_, until } from '../harness/models';
import { createUser, signInAdmin, type Session } from '../harness/sessions';

let p: Platform;
let engineer: Session;
let viewer: Session;
let dataDir: string;
let shipped: TestModel;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'registry-e2e-'));
  // The default-models folder holds one small model, so its evaluation takes a second, not minutes.
  shipped = await ensureTestModel();
  p = await startPlatform({ env: { DATA_DIR: dataDir, TRAINER_REGISTER_DEFAULT_MODELS: 'true', TRAINER_DEFAULT_MODEL_DIR: shipped.modelDir } });
  const admin = await signInAdmin(p);
  [engineer, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 180_000);
afterAll(async () => {
  await p.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (who: Session, path: string) => getAs(p, who, path);

const readyVersion = (id: string) => readyVersion_(p, viewer, id);

/** The model file's probabilities on the test digits, run here in onnxruntime-node, not through the trainer's code. */
async function probsOf(modelPath: string, manifest: ModelManifest, set: { pixels: Uint8Array; count: number }): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(modelPath);
  const probs = new Float32Array(set.count * 10);
  const { mean, std } = manifest.normalization;
  for (let from = 0; from < set.count; from += 1000) {
    const n = Math.min(1000, set.count - from);
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) x[i] = ((set.pixels[from * 784 + i] ?? 0) / 255 - mean) / std;
    const out = await session.run({ [manifest.input_name]: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
    probs.set(out[manifest.output_name]?.data as Float32Array, from * 10);
  }
  await session.release();
  return probs;
}

/** AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs ranked right, ties counting half (average ranks). */
function mannWhitneyAuc(scores: ArrayLike<number>, positive: (i: number) => boolean): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let rankSum = 0;
  let pos = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && scores[order[end + 1] ?? 0] === scores[order[k] ?? 0]) end++;
    const rank = (k + end) / 2 + 1;
    for (let j = k; j <= end; j++) {
      if (positive(order[j] ?? 0)) {
        rankSum += rank;
        pos++;
      }
    }
    k = end + 1;
  }
  const neg = scores.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function independentScores(probs: Float32Array, labels: Uint8Array): { confusion: number[][]; auc: number[]; micro: number; macro: number } {
  const n = labels.length;
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if ((probs[i * 10 + c] ?? 0) > (probs[i * 10 + best] ?? 0)) best = c;
    const row = confusion[labels[i] ?? 0];
    if (row) row[best] = (row[best] ?? 0) + 1;
  }
  const auc = Array.from({ length: 10 }, (_, c) => {
    const column = Float64Array.from({ length: n }, (_, i) => probs[i * 10 + c] ?? 0);
    return mannWhitneyAuc(column, (i) => labels[i] === c);
  });
  const micro = mannWhitneyAuc(probs, (j) => labels[Math.floor(j / 10)] === j % 10);
  return { confusion, auc, micro, macro: auc.reduce((a, b) => a + b, 0) / 10 };
}

/** The registry's confusion matrix and AUCs equal the ones computed here from the version's ONNX file. */
async function expectMatchesOnnx(v: ModelVersion): Promise<void> {
  const dir = join(dataDir, v.artifact_path);
  const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const set = mnistTestFile();
  const mine = independentScores(await probsOf(join(dir, 'model.onnx'), manifest, set), set.labels);

  const cm = ConfusionMatrixView.parse((await get(viewer, `/api/models/${v.id}/confusion-matrix`).expect(200)).body);
  expect(cm.counts).toEqual(mine.confusion);
  expect(cm.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (let t = 0; t < 10; t++) {
    const total = mine.confusion[t]?.reduce((a, b) => a + b, 0) ?? 0;
    for (let q = 0; q < 10; q++) expect(cm.normalized[t]?.[q]).toBeCloseTo((mine.confusion[t]?.[q] ?? 0) / total, 12);
  }

  const roc = RocCurveView.parse((await get(viewer, `/api/models/${v.id}/roc-curve`).expect(200)).body);
  expect(roc.per_class.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  roc.per_class.forEach((c, k) => expect(Math.abs((c.auc ?? -1) - (mine.auc[k] ?? 0))).toBeLessThan(1e-6));
  expect(Math.abs((roc.micro.auc ?? -1) - mine.micro)).toBeLessThan(1e-6);
  expect(Math.abs((roc.macro.auc ?? -1) - mine.macro)).toBeLessThan(1e-6);
  for (const curve of [...roc.per_class, roc.micro, roc.macro]) {
    expect(curve.fpr.length).toBeLessThanOrEqual(200);
    expect([curve.fpr[0], curve.fpr.at(-1)]).toEqual([0, 1]);
    expect(curve.tpr.at(-1)).toBeCloseTo(1, 9);
  }

  const metrics = ModelMetrics.parse((await get(viewer, `/api/models/${v.id}/metrics`).expect(200)).body);
  const correct = mine.confusion.reduce((s, row, t) => s + (row[t] ?? 0), 0);
  expect(metrics).toMatchObject({ split: 'test', test_set: 'mnist:test', count: 10_000 });
  expect(Math.abs(metrics.accuracy - correct / 10_000)).toBeLessThan(1e-12);
  expect(metrics.per_class).toHaveLength(10);
  expect(metrics.reliability.reduce((s, b) => s + b.count, 0)).toBe(10_000);
  expect(metrics.ece).toBeGreaterThanOrEqual(0);
  expect(metrics.log_loss).toBeGreaterThan(0);
  for (const avg of [metrics.macro, metrics.weighted]) for (const x of [avg.precision, avg.recall, avg.f1]) expect(x).toBeGreaterThan(0.5);
  // Weighted recall is accuracy by definition.
  expect(Math.abs(metrics.weighted.recall - metrics.accuracy)).toBeLessThan(1e-9);
  expect(v.metrics).toEqual(metrics);
}

describe('the model registry through the gateway', () => {
  it('lists the default model registered at start as a builtin version by the system, and serves its evaluation once computed', async () => {
    const list = ModelList.parse((await get(viewer, '/api/models?source=builtin').expect(200)).body);
    expect(list.total).toBe(1);
    const listed = list.items[0];
    if (!listed) throw new Error('no builtin listed');
    expect(listed).toMatchObject({ name: shipped.modelId, source: 'builtin', created_by: null, job_id: null, family: 'mlp', dataset_id: 'mnist', test_set: 'mnist:test', size_bytes: shipped.onnx.length });
    if (listed.status === 'evaluating') {
      const early = await get(viewer, `/api/models/${listed.id}/metrics`);
      // Either still evaluating (409) or it finished in between.
      expect([200, 409]).toContain(early.status);
      if (early.status === 409) expect(early.body.code).toBe('conflict');
    }
    const v = await readyVersion(listed.id);
    expect(v.accuracy).toBeGreaterThan(0.5);
    await expectMatchesOnnx(v);
  }, 300_000);

  it('a model trained by a job appears with all its metrics, equal to a recomputation from its ONNX file', async () => {
    const started = await request(p.url)
      .post('/api/models/train')
      .set('Authorization', `Bearer ${engineer.access}`)
      .send({ dataset_id: 'mnist', family: 'mlp', hyperparameters: { neurons: [32] }, epochs: 1, seed: 4, max_train_samples: 1000 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const jobId = TrainingJob.parse(started.body).id;
    const job = await until('the training job to finish', async () => {
      const j = TrainingJob.parse((await get(engineer, `/api/jobs/${jobId}`)).body);
      if (j.status === 'failed' || j.status === 'cancelled') throw new Error(`job ${j.status}: ${j.error}`);
      return j.status === 'completed' ? j : null;
    });
    const versionId = job.model_version_id;
    if (!versionId) throw new Error('completed without a version');

    // Ready at once: the trainer evaluated the ONNX file on the test split while training.
    const list = ModelList.parse((await get(viewer, '/api/models?source=trained').expect(200)).body);
    const listed = list.items.find((x) => x.id === versionId);
    expect(listed).toMatchObject({ source: 'trained', status: 'ready', job_id: jobId, family: 'mlp', seed: 4, created_by: engineer.userId, dataset_id: 'mnist', test_set: 'mnist:test' });
    expect(listed?.metrics?.count).toBe(10_000);
    expect(listed?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(listed?.hyperparameters).toMatchObject({ neurons: [32] });
    if (!listed) throw new Error('not listed');
    await expectMatchesOnnx(listed);

    // Sorting by accuracy puts the better of the two versions first; pages split them.
    const byAccuracy = ModelList.parse((await get(viewer, '/api/models?sort=accuracy&order=desc').expect(200)).body);
    expect(byAccuracy.total).toBe(2);
    const accs = byAccuracy.items.map((x) => x.accuracy ?? -1);
    expect(accs[0]).toBeGreaterThanOrEqual(accs[1] ?? 2);
    const page2 = ModelList.parse((await get(viewer, '/api/models?sort=accuracy&order=desc&page_size=1&page=2').expect(200)).body);
    expect(page2.items.map((x) => x.id)).toEqual([byAccuracy.items[1]?.id]);
    expect(ModelList.parse((await get(viewer, '/api/models?family=resnet').expect(200)).body).total).toBe(0);
    // Engineers see every model, not only their own.
    const another = await createUser(p, await signInAdmin(p), 'engineer');
    expect(ModelList.parse((await get(another, '/api/models').expect(200)).body).total).toBe(2);
  }, 400_000);

  it('guests get 401; unknown or malformed ids 404; bad filters 400', async () => {
    expect((await request(p.url).get('/api/models')).status).toBe(401);
    const any = ModelList.parse((await get(viewer, '/api/models').expect(200)).body).items[0];
    if (!any) throw new Error('nothing listed');
    for (const path of ['', '/metrics', '/confusion-matrix', '/roc-curve']) expect((await request(p.url).get(`/api/models/${any.id}${path}`)).status).toBe(401);
    expect((await get(viewer, '/api/models/0b5e3c4e-8a7d-4f7e-9a4c-1d2e3f405060')).status).toBe(404);
    expect((await get(viewer, '/api/models/0b5e3c4e-8a7d-4f7e-9a4c-1d2e3f405060/roc-curve')).status).toBe(404);
    expect((await get(viewer, '/api/models/not-a-uuid')).status).toBe(404);
    expect((await get(viewer, '/api/models?sort=name')).status).toBe(400);
    expect((await get(viewer, '/api/models?page_size=1000')).status).toBe(400);
  });
});
