import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { ModelVersionsStore } from '../models/model-versions.store';
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

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

/** A trainer as its own OS process (so it can be killed -9), ready once it answers /readyz. */
async function startTrainerProcess(): Promise<ChildProcess> {
  const port = await freePort();
  // Short stall detection, so the dead process's job comes back in seconds rather than a minute.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/trainer/src/main.ts'], {
    env: { ...env.env, TRAINER_PORT: String(port), TRAINER_GPU_LOCK_MS: '4000', TRAINER_GPU_STALLED_INTERVAL_MS: '1000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`trainer exited with ${String(code)} before it was ready`))));
  const ready = (async () => {
    for (const start = Date.now(); Date.now() - start < 60_000; await new Promise((r) => setTimeout(r, 200))) {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
      if (res?.ok) return;
    }
    throw new Error('trainer not ready within 60 s');
  })();
  await Promise.race([ready, exited]);
  return child;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'train-resume-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
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

    const first = await startTrainerProcess();
    // Its outbox relay sends the job to the queue; the only worker is the first process's.
    const job = await jobs.create(engineer, { dataset_id: 'mnist', family: 'mlp', hyperparameters: { arch: { hidden: [32] } }, epochs: 3, seed: 5, max_train_samples: 6000 });
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

    await startTrainerProcess();
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
