import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Identity, type TuningJob, type TuningRequest } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { trainerService } from '../service';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let queues: TestQueues;
let dataDir: string;
let trainer: Trainer;

const identity = (sub: string): Identity => ({ kind: 'user', sub, role: 'engineer', email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const engineerA = identity('00000000-0000-4000-8000-00000000000a');
const engineerB = identity('00000000-0000-4000-8000-00000000000b');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tuning-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
}, 120_000);

afterAll(async () => {
  await trainer.close();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls a condition (the study's row) until it holds. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const finished = (j: TuningJob) => ['completed', 'failed', 'cancelled'].includes(j.status);

// A deterministic family (SMO is seeded) on few digits: each trial takes seconds.
const svmStudy: TuningRequest = {
  family: 'svm',
  dataset_id: 'mnist',
  base_hyperparameters: { kernel: 'rbf' },
  space: { C: { kind: 'float', low: 0.1, high: 100, log: true }, gamma: { kind: 'float', low: 1e-3, high: 1e-1, log: true } },
  method: { kind: 'bayesian', n_startup: 2 },
  budget: { trials: 5 },
  objective: 'val_accuracy',
  seed: 7,
  epochs: 1,
  max_train_samples: 200,
  pruning: true,
};

describe('tuning studies on the gpu queue', () => {
  it('the same study, one trial at a time and two at a time: identical trial parameters and the same best trial', async () => {
    const { tuning, gpuQueue } = trainer.exposes;
    const runs: TuningJob[] = [];
    for (const slots of [1, 2]) {
      await gpuQueue.queue.setGlobalConcurrency(slots);
      const started = await tuning.create(engineerA, svmStudy);
      runs.push(await until(() => tuning.get(engineerA, started.id), finished, 240_000));
    }
    await gpuQueue.queue.setGlobalConcurrency(2);
    const [serial, parallel] = runs;
    expect(serial?.status).toBe('completed');
    expect(parallel?.status).toBe('completed');
    expect(serial?.trials).toHaveLength(5);
    expect(parallel?.trials.map((t) => t.params)).toEqual(serial?.trials.map((t) => t.params));
    expect(parallel?.trials.map((t) => t.value)).toEqual(serial?.trials.map((t) => t.value));
    expect(parallel?.best?.trial).toBe(serial?.best?.trial);
    expect(parallel?.best?.value).toBe(serial?.best?.value);
    expect(serial?.result?.comparison).toBeNull();
    expect(serial?.result?.comparison_note).toContain('from scratch');
  }, 600_000);

  it('fair share: another user\'s training job submitted after a 10-trial study starts before the study\'s fourth trial; cancel stops every trial within 5 s', async () => {
    const { tuning, trainingJobs, trainingStore, gpuQueue } = trainer.exposes;
    const study = await tuning.create(engineerA, {
      family: 'mlp', dataset_id: 'mnist', base_hyperparameters: { neurons: [16] }, space: { learning_rate: { kind: 'float', low: 1e-3, high: 1e-1, log: true } },
      // One generation of 10: every trial may be proposed at once (the visibility rule holds none back), so only the fair-share rule keeps slots free.
      method: { kind: 'genetic', population: 10, generations: 1, mutation_rate: 0.2, crossover_rate: 0.8, elitism: 1, tournament_size: 3 }, budget: { trials: 10 }, objective: 'val_accuracy', seed: 1, epochs: 2, max_train_samples: 500, pruning: true,
    });
    const training = await trainingJobs.create(engineerB, { dataset_id: 'mnist', family: 'mlp', hyperparameters: { neurons: [16] }, epochs: 1, seed: 0, max_train_samples: 300 });
    expect((await queues.waitForJob('gpu', training.id, 300_000)).state).toBe('completed');
    const trainedAt = (await trainingStore.get(training.id))?.started_at;
    if (!trainedAt) throw new Error('the training job never started');
    const now = await until(() => tuning.get(engineerA, study.id), (j) => j.trials[3]?.started_at != null, 120_000);
    expect(Date.parse(now.trials[3]?.started_at ?? '')).toBeGreaterThan(trainedAt.getTime());

    // Cancel while a trial runs: every trial's gpu job is gone or finished within 5 s.
    await until(() => tuning.get(engineerA, study.id), (j) => j.trials.some((t) => t.status === 'running'), 120_000);
    const t0 = Date.now();
    const cancelled = await tuning.cancel(engineerA, study.id);
    expect(cancelled.status).toBe('cancelled');
    await until(async () => (await gpuQueue.queue.getJobs(['active', 'waiting'])).filter((j) => (j.id ?? '').startsWith(`tune-${study.id}-`)).length, (n) => n === 0, 5_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const after = await tuning.get(engineerA, study.id);
    expect(after.trials.every((t) => t.status !== 'running' && t.status !== 'queued')).toBe(true);
    await expect(tuning.get(engineerB, study.id)).rejects.toMatchObject({ code: 'not_found' });
  }, 600_000);
});
