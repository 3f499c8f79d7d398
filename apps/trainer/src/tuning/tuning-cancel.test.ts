import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tuneTrialJobId, type Identity } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, createTestQueues, type TestEnv, type TestQueues } from '@inkwell/testing';
import { trainerService } from '../service';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let queues: TestQueues;
let dataDir: string;
let trainer: Trainer;

/** The trainer's log lines (debug and up), parsed: the trials' fit progress is read from them. */
const lines: { job_id?: unknown; msg?: unknown }[] = [];
const capture = {
  write(line: string): void {
    try {
      lines.push(JSON.parse(line) as { job_id?: unknown; msg?: unknown });
    } catch {
      // Not one JSON line: nothing this test reads.
    }
  },
};
const logged = (jobId: string, pattern: RegExp): boolean => lines.some((l) => l.job_id === jobId && typeof l.msg === 'string' && pattern.test(l.msg));

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-0000000000c1', role: 'engineer', email: 'c1@test', session_id: null, ip: '127.0.0.1', user_agent: null };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tuning-cancel-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  queues = createTestQueues(env.redisPrefix);
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'debug', capture), poolMax: 4 });
  await trainer.exposes.gpuQueue.queue.setGlobalConcurrency(2);
}, 120_000);

afterAll(async () => {
  await trainer.close();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(ok: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cancelling a tuning study of a classic family', () => {
  it('stops both running SVM trials mid-fit within 5 s: their jobs finish as cancelled, the slots are free, nothing stays', async () => {
    const { tuning, tuningStore, gpuQueue, versions } = trainer.exposes;
    // 5,000 digits: each trial's fit is 45 one-vs-one SMO problems, tens of seconds uncancelled
    // (19 s on this machine, measured alone). Random search proposes
    // the first two trials at once, so both run together, each in its own fit worker.
    const study = await tuning.create(engineer, {
      family: 'svm', dataset_id: 'mnist', base_hyperparameters: { kernel: 'rbf', gamma: 0.025 }, space: { C: { kind: 'float', low: 5, high: 20, log: true } },
      method: { kind: 'random' }, budget: { trials: 4 }, objective: 'val_accuracy', seed: 3, epochs: 1, max_train_samples: 5000, pruning: true,
    });
    const jobIds = [0, 1].map((i) => tuneTrialJobId(study.id, i));
    const finished = jobIds.map((id) => queues.waitForJob('gpu', id, 600_000).then((outcome) => ({ outcome, at: Date.now() })));

    // Mid-fit: each trial's worker has solved its first pair of digits (of 45).
    await until(() => jobIds.every((id) => logged(id, /^svm pair 0-1:/)), 300_000, 'both trials fitting');
    const running = await tuning.get(engineer, study.id);
    expect(running.trials.map((t) => t.status)).toEqual(['running', 'running']);

    const t0 = Date.now();
    expect((await tuning.cancel(engineer, study.id)).status).toBe('cancelled');
    const done = await Promise.all(finished);
    const ms = done.map((d) => d.at - t0);
    console.info(`svm trials stopped ${ms.join(' ms and ')} ms after cancel (the last: ${Math.max(...ms)} ms)`);
    for (const d of done) expect(d.outcome).toEqual({ state: 'completed', returnvalue: { status: 'cancelled', value: null } });
    expect(Math.max(...ms)).toBeLessThan(5_000);

    // Stopped, not finished: no fit reached its end, no job of the study holds a slot, no trial followed.
    for (const id of jobIds) expect(logged(id, /^svm: \d+ support vectors/)).toBe(false);
    expect((await gpuQueue.queue.getJobs(['active', 'waiting', 'prioritized'])).filter((j) => (j.id ?? '').startsWith(`tune-${study.id}-`))).toEqual([]);
    const after = await tuning.get(engineer, study.id);
    expect(after.trials.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect(after.best).toBeNull();
    const dir = join(dataDir, 'tuning', study.id);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    for (const t of await tuningStore.trials(study.id)) expect(await versions.find(t.model_id)).toBeNull();
  }, 600_000);
});
