import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRedis } from '@inkwell/queue';
import { processEnv } from '@inkwell/config';
import { createTestQueues } from './test-queues';

const keysUnder = async (prefix: string): Promise<string[]> => {
  const redis = createRedis(processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
};

describe('createTestQueues', () => {
  it('gives each test a prefix of its own', () => {
    const a = createTestQueues();
    const b = createTestQueues();
    expect(a.prefix).not.toBe(b.prefix);
    return Promise.all([a.cleanup(), b.cleanup()]);
  });

  it('waits on QueueEvents for a job, even one that finished before the wait began', async () => {
    const q = createTestQueues();
    try {
      q.track(new Worker('report', async (job) => ({ echoed: job.name }), { connection: q.connection, prefix: q.prefix }));
      const early = await q.queue('report').queue.add('render', {});
      const first = await q.waitForJob('report', String(early.id));
      expect(first).toEqual({ state: 'completed', returnvalue: { echoed: 'render' } });
      // Asked again after it finished: answered from the job's state, not by waiting forever.
      expect(await q.waitForJob('report', String(early.id), 2000)).toEqual(first);
      await expect(q.waitForJob('report', 'no-such-job', 200)).rejects.toThrow('did not finish within 200 ms');
    } finally {
      await q.cleanup();
    }
  });

  it('closes the workers it tracks and obliterates every queue under its prefix on cleanup', async () => {
    const q = createTestQueues();
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      q.track(
        new Worker(
          'batch',
          () => {
            resolve();
            return new Promise<void>((done) => (release = done));
          },
          { connection: q.connection, prefix: q.prefix },
        ),
      );
    });
    await q.queue('batch').queue.add('stuck', {});
    await q.queue('gpu').queue.add('train', { not: 'checked here' });
    await q.events('gpu');
    await started;
    expect((await keysUnder(q.prefix)).length).toBeGreaterThan(0);

    const closing = q.cleanup();
    release(); // the worker's close waits for its active job
    await closing;
    expect(await keysUnder(q.prefix)).toEqual([]);
  });
});
