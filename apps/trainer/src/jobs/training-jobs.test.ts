import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Identity } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { trainerService } from '../service';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let queues: TestQueues;
let dataDir: string;
const trainers: Trainer[] = [];

const identity = (sub: string, role: 'engineer' | 'admin' = 'engineer'): Identity => ({ kind: 'user', sub, role, email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const engineerA = identity('00000000-0000-4000-8000-00000000000a');
const engineerB = identity('00000000-0000-4000-8000-00000000000b');
const admin = identity('00000000-0000-4000-8000-0000000000ad', 'admin');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'training-jobs-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  const logger = createLogger('trainer-test', 'silent');
  trainers.push(await startService(trainerService, { env: env.env, logger, poolMax: 3 }));
}, 120_000);

afterAll(async () => {
  for (const t of trainers) await t.close();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const tinyMlp = { dataset_id: 'mnist', family: 'mlp' as const, hyperparameters: { neurons: [16] }, epochs: 1, seed: 1, max_train_samples: 300 };

describe('training jobs on the gpu queue', () => {
  // The two-slot limit across trainer processes is gpu-slots.test.ts's (real OS processes).
  it('two jobs complete: each gets its own model version, scored on the test split, and its last progress', async () => {
    const first = trainers[0];
    if (!first) throw new Error('no trainer');
    const { trainingJobs } = first.exposes;
    const created = [];
    for (let i = 0; i < 2; i++) created.push(await trainingJobs.create(engineerA, { ...tinyMlp, seed: i }));
    const finished = await Promise.all(created.map((j) => queues.waitForJob('gpu', j.id, 240_000)));
    expect(finished.map((f) => f.state)).toEqual(['completed', 'completed']);

    const jobs = await Promise.all(created.map((j) => trainingJobs.get(engineerA, j.id)));
    for (const j of jobs) {
      expect(j.status).toBe('completed');
      expect(j.model_version?.job_id).toBe(j.id);
      // 300 digits, one epoch: far from good, but better than chance.
      expect(j.model_version?.metrics.accuracy).toBeGreaterThan(0.15);
      expect(j.model_version?.metrics.count).toBe(10_000);
      expect(j.progress?.epoch).toBe(1);
    }
    expect(new Set(jobs.map((j) => j.model_version_id)).size).toBe(2);
  }, 300_000);

  it('cancel stops a running job within 5 s: the row says cancelled, its last progress stays, no model version', async () => {
    const first = trainers[0];
    if (!first) throw new Error('no trainer');
    const { trainingJobs, trainingStore } = first.exposes;
    const events = await queues.events('gpu');
    // Long enough to still be running when cancelled: 20,000 digits, 5 epochs.
    const job = await trainingJobs.create(engineerA, { ...tinyMlp, hyperparameters: { neurons: [64] }, epochs: 5, max_train_samples: 20_000 });
    await new Promise<void>((resolve) => {
      const onProgress = (args: { jobId: string }): void => {
        if (args.jobId !== job.id) return;
        events.off('progress', onProgress);
        resolve();
      };
      events.on('progress', onProgress);
    });
    const asked = performance.now();
    await expect(trainingJobs.cancel(engineerB, job.id)).rejects.toMatchObject({ code: 'not_found' });
    const answer = await trainingJobs.cancel(engineerA, job.id);
    expect(answer.status).toBe('cancelled');
    const finished = await queues.waitForJob('gpu', job.id, 10_000);
    const stoppedMs = performance.now() - asked;
    console.info(`cancel: the worker let go of the job ${stoppedMs.toFixed(0)} ms after the request`);
    expect(finished.state).toBe('failed');
    expect(stoppedMs).toBeLessThan(5_000);
    const row = await trainingStore.get(job.id);
    expect(row?.status).toBe('cancelled');
    expect(row?.model_version_id).toBeNull();
    expect(row?.progress).not.toBeNull();
    await expect(trainingJobs.cancel(engineerA, job.id)).rejects.toMatchObject({ code: 'conflict' });
  }, 120_000);

  it('an engineer sees only their own jobs (another\'s is 404); an admin sees all', async () => {
    const first = trainers[0];
    if (!first) throw new Error('no trainer');
    const { trainingJobs } = first.exposes;
    const [mine] = (await trainingJobs.list(engineerA, {})).items;
    if (!mine) throw new Error('engineer A has no job');
    await expect(trainingJobs.get(engineerB, mine.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await trainingJobs.list(engineerB, {})).items).toEqual([]);
    expect((await trainingJobs.list(admin, { status: 'completed', family: 'mlp' })).items.length).toBe(2);
    expect((await trainingJobs.list(admin, { status: 'cancelled' })).items.length).toBe(1);
  });

  it('refuses hyperparameters the family does not take, and datasets that do not exist', async () => {
    const first = trainers[0];
    if (!first) throw new Error('no trainer');
    const { trainingJobs } = first.exposes;
    await expect(trainingJobs.create(engineerA, { ...tinyMlp, hyperparameters: { neurons: 'many' } })).rejects.toBeInstanceOf(AppError);
    await expect(trainingJobs.create(engineerA, { ...tinyMlp, hyperparameters: { neurons: 'many' } })).rejects.toMatchObject({ code: 'validation_failed' });
    // No such dataset (uploaded datasets' own rules: training-jobs-rules.test.ts).
    await expect(trainingJobs.create(engineerA, { ...tinyMlp, dataset_id: '5b1c0f9e-8d6a-4c3b-9e2f-1a2b3c4d5e6f' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
