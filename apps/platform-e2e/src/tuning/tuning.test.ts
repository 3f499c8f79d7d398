import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelVersion, TrainingJob, TuningEvent, TuningJob, tuneTrialJobId } from '@inkwell/contracts';
import { createTestQueues, type TestQueues } from '@inkwell/testing';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { readSse } from '../harness/sse';

let p: Platform;
let engineerA: Session;
let engineerB: Session;
let viewer: Session;
let dataDir: string;
/** The platform's gpu queue, read beside the gateway (cancel's test): its jobs show a trial really stopped. */
let queues: TestQueues;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tuning-e2e-'));
  p = await startPlatform({ env: { DATA_DIR: dataDir } });
  queues = createTestQueues(p.env.redisPrefix);
  const admin = await signInAdmin(p);
  [engineerA, engineerB, viewer] = await Promise.all([createUser(p, admin, 'engineer'), createUser(p, admin, 'engineer'), createUser(p, admin, 'viewer')]);
}, 120_000);
afterAll(async () => {
  await p.close();
  // After the platform: the sandbox's cleanup obliterates the queues under the platform's prefix.
  await queues.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

// The 5,000-digit run of the issue is bench/tuning/main.ts (about 35 s a trial here); 500 digits keep this test to minutes.
const DIGITS = 500;
const auth = (s: Session) => ({ Authorization: `Bearer ${s.access}` });

/** Reads the study's server-sent events until the stream ends (after the final status). */
async function readEvents(who: Session, id: string): Promise<TuningEvent[]> {
  const res = await fetch(`${p.url}/api/tuning/${id}/events`, { headers: { ...auth(who), Accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  if (!res.body) throw new Error('no body');
  return (await readSse(res.body)).map((m) => TuningEvent.parse(JSON.parse(m.data)));
}

describe('tuning through the gateway', () => {
  it('grid search over SVM C x gamma (3 x 3) from a trained version: progress over SSE, best parameters, a before/after comparison, and keep registers the model', async () => {
    const trained = await request(p.url).post('/api/models/train').set(auth(engineerA)).send({ dataset_id: 'mnist', family: 'svm', hyperparameters: { kernel: 'rbf', C: 0.1, gamma: 0.001 }, epochs: 1, seed: 0, max_train_samples: DIGITS });
    expect(trained.status, JSON.stringify(trained.body)).toBe(202);
    const job = TrainingJob.parse(trained.body);
    let version: string | null = null;
    let last = '';
    for (const deadline = Date.now() + 120_000; !version && Date.now() < deadline; ) {
      const res = await request(p.url).get(`/api/jobs/${job.id}`).set(auth(engineerA));
      // A poll the loaded machine answers 503 (the trainer busy training) is tried again.
      if (res.status === 200) version = TrainingJob.parse(res.body).model_version_id;
      else last = `${String(res.status)} ${JSON.stringify(res.body)}`;
      if (!version) await new Promise((r) => setTimeout(r, 500));
    }
    if (!version) throw new Error(`the starting version never came (last answer: ${last || 'no version yet'})`);

    const body = { space: { C: { kind: 'float', low: 0.1, high: 10, log: true }, gamma: { kind: 'float', low: 0.001, high: 0.1, log: true } }, method: { kind: 'grid', points_per_axis: 3 }, budget: { trials: 9 }, seed: 0, max_train_samples: DIGITS };
    expect((await request(p.url).post(`/api/models/${version}/tune`).set(auth(viewer)).send(body)).status).toBe(403);
    const started = await request(p.url).post(`/api/models/${version}/tune`).set(auth(engineerA)).send(body);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const study = TuningJob.parse(started.body);
    expect(study.from_version_id).toBe(version);
    expect(study.base_hyperparameters).toMatchObject({ kernel: 'rbf' });

    const events = await readEvents(engineerA, study.id);
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' });
    expect(events.some((e) => e.type === 'best')).toBe(true);

    const done = TuningJob.parse((await request(p.url).get(`/api/tuning/${study.id}`).set(auth(engineerA))).body);
    expect(done.status).toBe('completed');
    expect(done.trials).toHaveLength(9);
    const grid = new Set(done.trials.map((t) => `${String(t.params.C)}|${String(t.params.gamma)}`));
    expect(grid.size).toBe(9);
    const best = done.best;
    if (!best) throw new Error('no best trial');
    expect(Math.max(...done.trials.map((t) => t.value ?? 0))).toBe(best.value);
    const cmp = done.result?.comparison;
    if (!cmp) throw new Error(`no comparison: ${done.result?.comparison_note ?? ''}`);
    expect(cmp.a.id).toBe(version);
    expect(cmp.test_set).toBe('mnist:test');
    expect(cmp.deltas.accuracy).toBeCloseTo(cmp.b.accuracy - cmp.a.accuracy, 9);
    console.info(`SVM grid 3x3 on ${DIGITS} digits: best ${JSON.stringify(best.params)} val ${best.value}; test accuracy ${cmp.a.accuracy} -> ${cmp.b.accuracy}`);

    // Others see nothing; the viewer is refused.
    expect((await request(p.url).get(`/api/tuning/${study.id}`).set(auth(engineerB))).status).toBe(404);
    expect((await request(p.url).get('/api/tuning').set(auth(viewer))).status).toBe(403);

    const kept = await request(p.url).post(`/api/tuning/${study.id}/keep`).set(auth(engineerA));
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    const keptId = TuningJob.parse(kept.body).kept_version_id;
    if (!keptId) throw new Error('not kept');
    const registered = ModelVersion.parse((await request(p.url).get(`/api/models/${keptId}`).set(auth(engineerA))).body);
    expect(registered.hyperparameters).toMatchObject(best.hyperparameters);
    expect(registered.accuracy).toBe(best.test_metrics.accuracy);
    expect((await request(p.url).post(`/api/tuning/${study.id}/keep`).set(auth(engineerA))).status).toBe(409);

    expect((await request(p.url).post(`/api/tuning/${study.id}/discard`).set(auth(engineerA))).status).toBe(200);
    expect(existsSync(join(dataDir, 'tuning', study.id))).toBe(false);
    expect(existsSync(join(dataDir, registered.artifact_path, 'model.onnx'))).toBe(true);
  }, 600_000);

  it('cancel stops both running SVM trials within 5 s; a viewer can neither start nor cancel a study', async () => {
    // 5,000 digits: a trial's SVM fit alone takes tens of seconds; random search runs the first two trials at once.
    const body = { family: 'svm', dataset_id: 'mnist', base_hyperparameters: { kernel: 'rbf', gamma: 0.025 }, space: { C: { kind: 'float', low: 5, high: 20, log: true } }, method: { kind: 'random' }, budget: { trials: 4 }, seed: 3, max_train_samples: 5000 };
    expect((await request(p.url).post('/api/tuning').set(auth(viewer)).send(body)).status).toBe(403);
    const started = await request(p.url).post('/api/tuning').set(auth(engineerA)).send(body);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = TuningJob.parse(started.body).id;
    const finished = [0, 1].map((i) => queues.waitForJob('gpu', tuneTrialJobId(id, i), 600_000).then((outcome) => ({ outcome, at: Date.now() })));
    const get = async (): Promise<TuningJob> => TuningJob.parse((await request(p.url).get(`/api/tuning/${id}`).set(auth(engineerA))).body);

    // Both trials running for 3 s or more: past loading the digits and starting the fit worker, into the fit.
    for (const deadline = Date.now() + 300_000; ; await new Promise((r) => setTimeout(r, 250))) {
      const j = await get();
      const since = j.trials.map((t) => (t.status === 'running' && t.started_at ? Date.now() - Date.parse(t.started_at) : -1));
      if (since.length === 2 && since.every((ms) => ms >= 3_000)) break;
      if (Date.now() > deadline || j.trials.some((t) => t.status !== 'running' && t.status !== 'queued')) throw new Error(`the two trials never ran together: ${JSON.stringify(j.trials)}`);
    }

    expect((await request(p.url).post(`/api/tuning/${id}/cancel`).set(auth(viewer))).status).toBe(403);
    expect((await request(p.url).post(`/api/tuning/${id}/cancel`).set(auth(engineerB))).status).toBe(404);
    const t0 = Date.now();
    const cancelled = await request(p.url).post(`/api/tuning/${id}/cancel`).set(auth(engineerA));
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(TuningJob.parse(cancelled.body).status).toBe('cancelled');

    // The study's trials say `cancelled` as soon as the cancel commits; only their gpu jobs finishing
    // (read on the queue beside the gateway) show that the trials really stopped and freed their slots.
    let viewRunning = true;
    while (viewRunning && Date.now() - t0 < 5_000) viewRunning = (await get()).trials.some((t) => t.status === 'running' || t.status === 'queued');
    const done = await Promise.all(finished);
    const ms = done.map((d) => d.at - t0);
    console.info(`cancel through the gateway: trial jobs finished ${ms.join(' ms and ')} ms after the POST (the last: ${Math.max(...ms)} ms)`);
    expect(viewRunning).toBe(false);
    for (const d of done) expect(d.outcome).toEqual({ state: 'completed', returnvalue: { status: 'cancelled', value: null } });
    expect(Math.max(...ms)).toBeLessThan(5_000);
    expect((await queues.queue('gpu').queue.getJobs(['active', 'waiting', 'prioritized'])).filter((j) => (j.id ?? '').startsWith(`tune-${id}-`))).toEqual([]);
    const after = await get();
    expect(after.status).toBe('cancelled');
    expect(after.trials.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect((await request(p.url).post(`/api/tuning/${id}/cancel`).set(auth(engineerA))).status).toBe(409);
  }, 600_000);
});
