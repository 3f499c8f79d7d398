import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { ModelVersionsStore } from '../models/model-versions.store';
import { killAll, startTrainerProcess } from '../testing/trainer-process';
import { JobCancels } from './job-cancels';
import { JobEvents } from './job-events';
import { TrainingJobsService } from './training-jobs.service';
import { TrainingJobsStore } from './training-jobs.store';

let env: TestEnv;
let queues: TestQueues;
let db: Db;
let dataDir: string;
const children: ChildProcess[] = [];

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-00000000000a', role: 'engineer', email: 'a@test', session_id: null, ip: '127.0.0.1', user_agent: null };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gpu-slots-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
  // One at a time: three tsx start-ups at once on two cores only slow each other down.
  for (let i = 0; i < 3; i++) children.push(await startTrainerProcess(env.env));
}, 300_000);

afterAll(async () => {
  killAll(children);
  await db.destroy();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the gpu queue across trainer processes', () => {
  it('three trainer OS processes, six jobs: never more than two running at once (BullMQ and the database, every 100 ms), all six complete', async () => {
    const store = new TrainingJobsStore(db);
    // This process only writes the jobs; the three trainers' outbox relays and workers do the rest.
    const jobs = new TrainingJobsService(db, store, new ModelVersionsStore(db), () => undefined, new JobEvents(queues.connection, env.redisPrefix), new JobCancels(queues.connection, env.env.REDIS_URL ?? '', queues.queue('gpu')));
    const created = [];
    for (let i = 0; i < 6; i++) created.push(await jobs.create(engineer, { dataset_id: 'mnist', family: 'mlp', hyperparameters: {}, epochs: 1, seed: i, max_train_samples: 500 }));

    const gpu = queues.queue('gpu').queue;
    let maxActive = 0;
    let maxRunning = 0;
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [active, running] = await Promise.all([gpu.getActiveCount(), store.countRunning()]);
        maxActive = Math.max(maxActive, active);
        maxRunning = Math.max(maxRunning, running);
        samples++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const finished = await Promise.all(created.map((j) => queues.waitForJob('gpu', j.id, 300_000)));
      expect(finished.map((f) => f.state)).toEqual(Array(6).fill('completed'));
    } finally {
      sampling = false;
      await sampler;
    }
    const ranOn = new Set(await Promise.all(created.map(async (j) => (await gpu.getJob(j.id))?.processedBy ?? 'unknown')));
    console.info(`gpu queue, 3 processes: ${samples} samples at 100 ms; most active in BullMQ ${maxActive}, most running rows ${maxRunning}; jobs ran on ${ranOn.size} process(es)`);
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(Math.max(maxActive, maxRunning)).toBe(2);
    for (const j of created) {
      const row = await store.get(j.id);
      expect(row?.status).toBe('completed');
      expect(row?.attempts).toBe(1);
    }
    const versions = await db('model_versions').whereIn('job_id', created.map((j) => j.id));
    expect(versions).toHaveLength(6);
  }, 400_000);
});
