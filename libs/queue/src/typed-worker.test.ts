import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnv } from '@inkwell/config';
import type { JobMeta, TrainJobPayload, ValidateDatasetPayload } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createQueueSandbox, type QueueSandbox } from './queue-sandbox';
import { createTypedWorker, type TypedHandlers } from './typed-worker';

const REDIS_URL = processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = createLogger('queue-test', 'silent');
const meta = (requestId: string | null = null): JobMeta => ({ request_id: requestId, actor_id: 'user-1' });
const validate = (datasetId: string, requestId: string | null = null): ValidateDatasetPayload => ({ dataset_id: datasetId, request_id: requestId });
const summary = (datasetId: string) => ({ dataset_id: datasetId, valid: true, items: 10, problems: 0, problems_by_kind: {} });

let q: QueueSandbox;
beforeAll(() => {
  q = createQueueSandbox(REDIS_URL);
});
afterAll(() => q.cleanup());

describe('createTypedWorker', () => {
  it('refuses to start without a handler for every job name of its queue, naming the missing ones', async () => {
    const handlers = {} as unknown as TypedHandlers<'gpu'>;
    await expect(createTypedWorker(q.queue('gpu'), handlers, { connection: q.connection, logger: silent })).rejects.toThrow(
      'worker for queue gpu has no handler for: train, tune-trial',
    );
  });

  it('refuses a handler for a job name the contracts do not define', async () => {
    const handlers = { 'validate-dataset': async () => summary('x'), 'evaluate-model': async () => undefined, 'validate-everything': async () => undefined } as unknown as TypedHandlers<'cpu'>;
    await expect(createTypedWorker(q.queue('cpu'), handlers, { connection: q.connection, logger: silent })).rejects.toThrow(/validate-everything/);
  });

  it('a producer refuses a payload that does not match its schema', async () => {
    const bad = { dataset_id: '', request_id: null } as ValidateDatasetPayload;
    await expect(q.queue('cpu').add('validate-dataset', bad, meta())).rejects.toThrow();
  });

  describe('on the cpu queue (three attempts per job)', () => {
    const handled: string[] = [];
    const lines: Record<string, unknown>[] = [];
    beforeAll(async () => {
      const capture = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      const logger = createLogger('queue-test', 'debug', capture);
      const handlers: TypedHandlers<'cpu'> = {
        'validate-dataset': async (payload, ctx) => {
          handled.push(payload.dataset_id);
          // A plain logger, not ctx.logger: the request id must come from the async context.
          logger.info({ dataset_id: payload.dataset_id }, 'validating');
          if (payload.dataset_id === 'bad-result') return { dataset_id: payload.dataset_id, valid: 'yes' } as unknown as ReturnType<typeof summary>;
          if (payload.dataset_id === 'bad-progress') await ctx.progress({ items_checked: -1, items_total: null });
          if (payload.dataset_id === 'good') await ctx.progress({ items_checked: 5, items_total: 10 });
          return summary(payload.dataset_id);
        },
        // Not sent by these tests; the worker refuses to start without a handler for every job of its queue.
        'evaluate-model': async (payload) => ({ model_version_id: payload.model_version_id, status: 'skipped', accuracy: null }),
      };
      q.track(await createTypedWorker(q.queue('cpu'), handlers, { connection: q.connection, logger }));
    });

    it('fails a job whose payload breaks its schema at once, without calling the handler or retrying', async () => {
      // Written past the producer's check, as an old producer or a hand-made job would.
      const job = await q.queue('cpu').queue.add('validate-dataset', { payload: { dataset_id: 42 }, meta: meta() });
      const outcome = await q.waitForJob('cpu', String(job.id));
      expect(outcome).toMatchObject({ state: 'failed', failedReason: expect.stringContaining('a payload that does not match its schema') });
      const after = await q.queue('cpu').queue.getJob(String(job.id));
      expect(after?.attemptsMade).toBe(1);
      expect(await after?.getState()).toBe('failed');
      expect(handled).toEqual([]);
    });

    it('checks results: a handler returning a result that breaks its schema fails the job without retries', async () => {
      const job = await q.queue('cpu').add('validate-dataset', validate('bad-result'), meta());
      const outcome = await q.waitForJob('cpu', String(job.id));
      expect(outcome).toMatchObject({ state: 'failed', failedReason: expect.stringContaining('result that does not match its schema') });
      expect((await q.queue('cpu').queue.getJob(String(job.id)))?.attemptsMade).toBe(1);
    });

    it('checks progress: a report that breaks its schema fails the job; a good one is stored and returned', async () => {
      const bad = await q.queue('cpu').add('validate-dataset', validate('bad-progress'), meta());
      expect(await q.waitForJob('cpu', String(bad.id))).toMatchObject({ state: 'failed', failedReason: expect.stringContaining('progress that does not match') });

      const good = await q.queue('cpu').add('validate-dataset', validate('good'), meta());
      expect(await q.waitForJob('cpu', String(good.id))).toEqual({ state: 'completed', returnvalue: summary('good') });
      expect((await q.queue('cpu').queue.getJob(String(good.id)))?.progress).toEqual({ items_checked: 5, items_total: 10 });
    });

    it("carries the job's request id into every log line of its handler", async () => {
      const fromMeta = await q.queue('cpu').add('validate-dataset', validate('logged-a'), meta('req-meta-1'));
      const fromPayload = await q.queue('cpu').add('validate-dataset', validate('logged-b', 'req-payload-2'), meta(null));
      await q.waitForJob('cpu', String(fromMeta.id));
      await q.waitForJob('cpu', String(fromPayload.id));

      const linesOf = (id: string) => lines.filter((l) => l.job_id === id || l.dataset_id === (id === fromMeta.id ? 'logged-a' : 'logged-b'));
      const a = linesOf(String(fromMeta.id));
      const b = linesOf(String(fromPayload.id));
      expect(a.map((l) => l.msg)).toEqual(expect.arrayContaining(['job started', 'validating', 'job completed']));
      expect(a.every((l) => l.request_id === 'req-meta-1')).toBe(true);
      expect(b.length).toBeGreaterThanOrEqual(3);
      expect(b.every((l) => l.request_id === 'req-payload-2')).toBe(true);
    });
  });
});

describe('the gpu queue', () => {
  it('runs at most two jobs at once across three workers, and all six complete', async () => {
    let running = 0;
    let maxRunning = 0;
    const handlers: TypedHandlers<'gpu'> = {
      train: async (payload, ctx) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await ctx.progress({ epoch: 0, step: 0, loss: null, accuracy: null, learning_rate: 0.01, samples_per_s: 0, eta_s: null });
          // Stands in for a training run long enough for several samples to see it.
          await new Promise((resolve) => setTimeout(resolve, 400));
          return { model_version_id: `mv-${payload.job_id}` };
        } finally {
          running -= 1;
        }
      },
      'tune-trial': () => Promise.resolve({ status: 'cancelled', value: null }),
      'benchmark.run': () => Promise.resolve({ status: 'failed' }),
    };
    const gpu = q.queue('gpu');
    // Three workers, each willing to run two jobs: only the queue's global limit holds them to two.
    for (let i = 0; i < 3; i += 1) q.track(await createTypedWorker(gpu, handlers, { connection: q.connection, logger: silent, worker: { name: `trainer-${i}` } }));
    expect(await gpu.queue.getGlobalConcurrency()).toBe(2);

    const samples: number[] = [];
    const sampler = setInterval(() => {
      gpu.queue.getActiveCount().then((n) => samples.push(n), () => undefined);
    }, 50);
    try {
      const payloads: TrainJobPayload[] = Array.from({ length: 6 }, (_, i) => ({
        job_id: `job-${i}`,
        dataset_id: 'mnist',
        split_id: 'mnist-official',
        family: 'cnn',
        hyperparameters: { learning_rate: 0.01, layers: [32, 64] },
        epochs: 1,
        seed: i,
        request_id: `req-${i}`,
      }));
      const jobs = await Promise.all(payloads.map((p) => gpu.add('train', p, meta(p.request_id), { jobId: p.job_id })));
      const outcomes = await Promise.all(jobs.map((j) => q.waitForJob('gpu', String(j.id))));
      expect(outcomes).toEqual(payloads.map((p) => ({ state: 'completed', returnvalue: { model_version_id: `mv-${p.job_id}` } })));
    } finally {
      clearInterval(sampler);
    }
    expect(samples.length).toBeGreaterThan(10);
    expect(Math.max(...samples)).toBeLessThanOrEqual(2);
    expect(maxRunning).toBe(2);
  }, 30_000);
});
