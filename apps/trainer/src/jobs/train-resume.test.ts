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
import { JobEvents, STREAM_START } from './job-events';
import { TrainingJobsService } from './training-jobs.service';
import { TrainingJobsStore } from './training-jobs.store';

let env: TestEnv;
let queues: TestQueues;
let db: Db;
let dataDir: string;
const children: ChildProcess[] = [];

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-00000000000a', role: 'engineer', email: 'a@test', session_id: null, ip: '127.0.0.1', user_agent: null };

/** Short stall detection, so the dead process's job comes back in seconds rather than a minute. */
const startTrainer = async (): Promise<ChildProcess> => {
  const child = await startTrainerProcess({ ...env.env, TRAINER_GPU_LOCK_MS: '4000', TRAINER_GPU_STALLED_INTERVAL_MS: '1000' });
  children.push(child);
  return child;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'train-resume-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
}, 60_000);

afterAll(async () => {
  killAll(children);
  await db.destroy();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a trainer process killed mid-job', () => {
  it('kill -9 after an epoch: the job resumes from its checkpoint on another process and yields exactly one model version', async () => {
    const events = new JobEvents(queues.connection, env.redisPrefix);
    const store = new TrainingJobsStore(db);
    const jobs = new TrainingJobsService(db, store, new ModelVersionsStore(db), () => undefined, events, new JobCancels(queues.connection, env.env.REDIS_URL ?? '', queues.queue('gpu')));
    const queueEvents = await queues.events('gpu');

    const first = await startTrainer();
    // Its outbox relay sends the job to the queue; the only worker is the first process's.
    const job = await jobs.create(engineer, { dataset_id: 'mnist', family: 'mlp', hyperparameters: { neurons: [32] }, epochs: 3, seed: 5, max_train_samples: 6000 });
    await new Promise<void>((resolve) => {
      const onProgress = (args: { jobId: string; data: unknown }): void => {
        const epoch = typeof args.data === 'object' && args.data !== null && 'epoch' in args.data ? Number(args.data.epoch) : 0;
        // Epoch 2 under way: epoch 1's checkpoint is on disk.
        if (args.jobId !== job.id || epoch < 2) return;
        queueEvents.off('progress', onProgress);
        resolve();
      };
      queueEvents.on('progress', onProgress);
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = await events.read(queues.connection, job.id, STREAM_START);

    await startTrainer();
    const finished = await queues.waitForJob('gpu', job.id, 120_000);
    expect(finished.state).toBe('completed');

    const row = await store.get(job.id);
    expect(row?.status).toBe('completed');
    expect(row?.attempts).toBe(2);
    const versions = await db('model_versions').where({ job_id: job.id });
    expect(versions).toHaveLength(1);

    // After the restart, progress picks up at epoch 2 or later: epoch 1 was not trained again.
    const all = await events.read(queues.connection, job.id, STREAM_START);
    const afterRestart = all.slice(killedAt.length).flatMap((e) => (e.event.type === 'progress' ? [e.event.epoch] : []));
    console.info(`resume: progress epochs before the kill ${JSON.stringify([...new Set(killedAt.flatMap((e) => (e.event.type === 'progress' ? [e.event.epoch] : [])))])}, after ${JSON.stringify([...new Set(afterRestart)])}`);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(Math.min(...afterRestart)).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
