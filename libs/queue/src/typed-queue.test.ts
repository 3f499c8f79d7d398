import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnv } from '@inkwell/config';
import { QUEUE_NAMES, QUEUE_SETTINGS, QUEUE_TABLE } from '@inkwell/contracts';
import { createQueueSandbox, type QueueSandbox } from './queue-sandbox';

let q: QueueSandbox;
beforeAll(() => {
  q = createQueueSandbox(processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(() => q.cleanup());

describe('the queue table', () => {
  it('caps the gpu queue at two jobs across every process, and every queue has settings', () => {
    expect(QUEUE_SETTINGS.gpu.globalConcurrency).toBe(2);
    expect(QUEUE_NAMES).toEqual(expect.arrayContaining(['audit', 'cpu', 'gpu']));
    for (const name of QUEUE_NAMES) expect(QUEUE_TABLE[name].settings.attempts).toBeGreaterThanOrEqual(1);
  });
});

describe('TypedQueue', () => {
  it("gives jobs their queue's default options from the table", async () => {
    const job = await q.queue('cpu').add('validate-dataset', { dataset_id: 'd1', request_id: 'r1' }, { request_id: 'r1', actor_id: 'u1' });
    expect(job.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 });
    expect(job.data).toEqual({ payload: { dataset_id: 'd1', request_id: 'r1' }, meta: { request_id: 'r1', actor_id: 'u1' } });
  });

  it('writes the global concurrency the table sets, and removes one it does not', async () => {
    await q.queue('gpu').applyGlobalConcurrency();
    expect(await q.queue('gpu').queue.getGlobalConcurrency()).toBe(2);

    const audit = q.queue('audit');
    await audit.queue.setGlobalConcurrency(5); // left over from an older version of the table
    await audit.applyGlobalConcurrency();
    expect(await audit.queue.getGlobalConcurrency()).toBeNull();
  });
});
