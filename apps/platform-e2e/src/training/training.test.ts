import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManifest, TrainingJob, TrainJobEvent } from '@inkwell/contracts';
import { mnistTestFile } from '../harness/models';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { readSse } from '../harness/sse';

let p: Platform;
let engineerA: Session;
let engineerB: Session;
let viewer: Session;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'training-e2e-'));
  p = await startPlatform({ env: { DATA_DIR: dataDir } });
  const admin = await signInAdmin(p);
  [engineerA, engineerB, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 120_000);
afterAll(async () => {
  await p.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const smallCnn = { dataset_id: 'mnist', family: 'cnn', hyperparameters: { filters: [8], dense: [32], batch_size: 64 }, epochs: 1, seed: 3, max_train_samples: 2000 };

interface Received {
  readonly id: string | null;
  readonly event: TrainJobEvent;
}

/** Reads server-sent events with fetch until the stream ends (it does after the final status). */
async function readEvents(who: Session, jobId: string, lastEventId?: string): Promise<Received[]> {
  const res = await fetch(`${p.url}/api/jobs/${jobId}/events`, { headers: { Authorization: `Bearer ${who.access}`, Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  expect(res.headers.get('cache-control')).toBe('no-store');
  if (!res.body) throw new Error('no body');
  return (await readSse(res.body)).map((m) => ({ id: m.id, event: TrainJobEvent.parse(JSON.parse(m.data)) }));
}

/** Accuracy and macro precision/recall/F1 of argmax predictions, written here rather than borrowed from the trainer. */
async function scoreOnnx(modelPath: string, norm: { mean: number; std: number }): Promise<{ accuracy: number; precision: number; recall: number; f1: number }> {
  const { pixels, labels, count } = mnistTestFile();
  const session = await ort.InferenceSession.create(modelPath);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let correct = 0;
  for (let from = 0; from < count; from += 1000) {
    const n = Math.min(1000, count - from);
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) x[i] = ((pixels[from * 784 + i] ?? 0) / 255 - norm.mean) / norm.std;
    const out = await session.run({ image: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
    const probs = out.probs?.data as Float32Array;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if ((probs[i * 10 + c] ?? 0) > (probs[i * 10 + best] ?? 0)) best = c;
      const truth = labels[from + i] ?? 0;
      const row = confusion[truth];
      if (row) row[best] = (row[best] ?? 0) + 1;
      if (best === truth) correct++;
    }
  }
  await session.release();
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (let c = 0; c < 10; c++) {
    const tp = confusion[c]?.[c] ?? 0;
    const predicted = confusion.reduce((s, row) => s + (row[c] ?? 0), 0);
    const actual = (confusion[c] ?? []).reduce((s, v) => s + v, 0);
    const pc = predicted ? tp / predicted : 0;
    const rc = actual ? tp / actual : 0;
    precision += pc / 10;
    recall += rc / 10;
    f1 += (pc + rc ? (2 * pc * rc) / (pc + rc) : 0) / 10;
  }
  return { accuracy: correct / count, precision, recall, f1 };
}

describe('training a model through the gateway', () => {
  it('a small CNN for 1 epoch on mnist: progress over SSE, the job completes, and its metrics match the ONNX file on the test split', async () => {
    const started = await request(p.url).post('/api/models/train').set('Authorization', `Bearer ${engineerA.access}`).send(smallCnn);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const job = TrainingJob.parse(started.body);
    expect(job.status).toBe('queued');
    expect(job.split).toMatchObject({ id: 'mnist-official', train_limit: 2000 });

    const events = await readEvents(engineerA, job.id);
    const progress = events.filter((e) => e.event.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    for (const e of progress) expect(e.id).toMatch(/^\d+-\d+$/);
    const last = events.at(-1)?.event;
    expect(last).toMatchObject({ type: 'status', status: 'completed' });

    // Resuming after the first progress event replays exactly what came after it.
    const firstId = progress[0]?.id;
    if (!firstId) throw new Error('no event id');
    const resumed = await readEvents(engineerA, job.id, firstId);
    const after = events.slice(events.findIndex((e) => e.id === firstId) + 1);
    expect(resumed.map((e) => e.event)).toEqual(after.map((e) => e.event));

    const polled = await request(p.url).get(`/api/jobs/${job.id}`).set('Authorization', `Bearer ${engineerA.access}`);
    expect(polled.status).toBe(200);
    const done = TrainingJob.parse(polled.body);
    expect(done.status).toBe('completed');
    expect(done.progress?.epoch).toBe(1);
    const version = done.model_version;
    if (!version) throw new Error('completed without a model version');
    expect(version.id).toBe(done.model_version_id);
    expect(version.metrics.count).toBe(10_000);

    const dir = join(dataDir, version.artifact_path);
    const manifest = ModelManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const mine = await scoreOnnx(join(dir, 'model.onnx'), manifest.normalization);
    console.info(`small CNN, 2000 digits, 1 epoch: test accuracy ${mine.accuracy} (recorded ${version.metrics.accuracy}), macro F1 ${mine.f1} (recorded ${version.metrics.macro.f1})`);
    expect(Math.abs(version.metrics.accuracy - mine.accuracy)).toBeLessThan(1e-6);
    expect(Math.abs(version.metrics.macro.precision - mine.precision)).toBeLessThan(1e-6);
    expect(Math.abs(version.metrics.macro.recall - mine.recall)).toBeLessThan(1e-6);
    expect(Math.abs(version.metrics.macro.f1 - mine.f1)).toBeLessThan(1e-6);

    // Another engineer cannot see it, by id, in the list or as a stream.
    expect((await request(p.url).get(`/api/jobs/${job.id}`).set('Authorization', `Bearer ${engineerB.access}`)).status).toBe(404);
    expect((await request(p.url).get(`/api/jobs/${job.id}/events`).set('Authorization', `Bearer ${engineerB.access}`)).status).toBe(404);
    expect((await request(p.url).post(`/api/jobs/${job.id}/cancel`).set('Authorization', `Bearer ${engineerB.access}`)).status).toBe(404);
    // Its owner cannot cancel it either, once it has finished.
    expect((await request(p.url).post(`/api/jobs/${job.id}/cancel`).set('Authorization', `Bearer ${engineerA.access}`)).status).toBe(409);
    const listB = await request(p.url).get('/api/jobs').set('Authorization', `Bearer ${engineerB.access}`);
    expect(listB.body).toEqual({ items: [] });
  }, 300_000);

  it('a viewer gets 403 on starting a job and on the job routes', async () => {
    const res = await request(p.url).post('/api/models/train').set('Authorization', `Bearer ${viewer.access}`).send(smallCnn);
    expect(res.status).toBe(403);
    expect((await request(p.url).get('/api/jobs').set('Authorization', `Bearer ${viewer.access}`)).status).toBe(403);
  });
});
