import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { AuditBatcher } from './audit-batcher';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env.cleanup());

const event = (): AuditEvent => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  service: 'gateway',
  action: 'api.call',
  outcome: 'success',
  actor: { kind: 'guest', id: null, email: null, role: null },
  target: null,
  ip: '192.0.2.1',
  user_agent: null,
  request_id: null,
  details: {},
});

describe('AuditBatcher', () => {
  it('keeps the events Redis refused and sends them, once, when it answers again', async () => {
    const redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
    const queue = new TypedQueue('audit', redis, env.redisPrefix);
    const batcher = new AuditBatcher(queue, createLogger('test', 'silent'), { flushMs: 60_000, maxBuffered: 3 });
    try {
      await queue.queue.waitUntilReady();
      const first = [event(), event()];
      for (const e of first) batcher.push(e);
      const closed = new Promise((r) => redis.once('end', r));
      redis.disconnect(); // Redis gone: the flush fails and keeps them
      await closed;
      await batcher.flush();
      expect(batcher.pending).toBe(2);
      const later = [event(), event()];
      for (const e of later) batcher.push(e); // over maxBuffered: the oldest is dropped
      expect(batcher.pending).toBe(3);
      await redis.connect();
      await batcher.flush();
      expect(batcher.pending).toBe(0);
      const ids = (await queue.queue.getJobs(['waiting'])).map((j) => j.id).sort();
      expect(ids).toEqual([first[1], ...later].map((e) => e?.id).sort());
    } finally {
      await batcher.stop();
      await queue.close();
      redis.disconnect();
    }
  });
});
