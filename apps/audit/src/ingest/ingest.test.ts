import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { auditToQueue } from '@inkwell/outbox';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { signInEvent, until } from '../testing/audit-fixtures';
import { auditService } from '../service';
import type { AuditEvent } from '@inkwell/contracts';

const logger = createLogger('audit-test', 'silent');
let env: TestEnv;
let producerRedis: ReturnType<typeof createRedis>;
let producer: TypedQueue<'audit'>;

const launch = () => startService(auditService, { env: env.env, logger, poolMax: 4 });
type Running = Awaited<ReturnType<typeof launch>>;
let audit: Running | null = null;
const start = async () => (audit = await launch());
const running = (): Running => {
  if (!audit) throw new Error('the audit service is not running');
  return audit;
};
const stored = async (): Promise<{ rows: number; ids: number }> => {
  const { rows } = await running().ctx.db.raw<{ rows: { rows: number; ids: number }[] }>('select count(*)::int as rows, count(distinct event_id)::int as ids from events');
  return rows[0] ?? { rows: 0, ids: 0 };
};
const unfinished = async () => {
  const c = await producer.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
};

/** What every service's outbox relay does with an `audit` row: the real producer, `auditToQueue`. */
async function deliver(events: readonly AuditEvent[], jobId?: (e: AuditEvent) => string): Promise<void> {
  const handler = auditToQueue(producer);
  for (let i = 0; i < events.length; i += 500) {
    await Promise.all(
      events.slice(i, i + 500).map((e) =>
        jobId ? producer.add('audit.record', e, { request_id: e.request_id, actor_id: e.actor.id }, { jobId: jobId(e) }) : handler.deliver(e, e.id, new AbortController().signal),
      ),
    );
  }
}

beforeAll(async () => {
  env = await createTestEnv({ AUDIT_CHECKPOINT_EVERY: '1000' });
  producerRedis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  producer = new TypedQueue('audit', producerRedis, env.redisPrefix);
  await start();
});

afterAll(async () => {
  await audit?.close();
  await producer.close();
  producerRedis.disconnect();
  await env.cleanup();
});

describe('the audit queue drains into PostgreSQL', () => {
  const events = Array.from({ length: 10_000 }, (_, n) => signInEvent(n));

  it('stores 10,000 sign-in events exactly once, each job delivered twice, and keeps no completed job', async () => {
    const started = Date.now();
    await deliver(events);
    // Delivered twice on purpose: once more as the relay would after a crash (same job id: BullMQ
    // takes it again once the first has completed and been removed), and once under other job ids
    // (two relays racing), while the first deliveries are still being worked.
    await deliver(events.slice(0, 2000));
    await deliver(events.slice(2000, 3000), (e) => `again-${e.id}`);
    await until('the audit queue to drain', async () => (await unfinished()) === 0 && (await stored()).rows >= 10_000, 90_000);
    const drainedMs = Date.now() - started;

    expect(await stored()).toEqual({ rows: 10_000, ids: 10_000 });
    const { rows } = await running().ctx.db.raw<{ rows: { n: number }[] }>("select count(*)::int as n from events where action = 'auth.login' and service = 'auth' and type = 'user'");
    expect(rows[0]?.n).toBe(10_000);
    // Completed jobs are removed as they complete: none at all, so none older than a minute.
    const counts = await producer.queue.getJobCounts('completed', 'failed');
    expect(counts).toEqual({ completed: 0, failed: 0 });
    expect(await producer.queue.getCompleted()).toEqual([]);
    // Throughput on this 2-core machine: well under a minute for 10,000 events.
    expect(drainedMs).toBeLessThan(60_000);
    process.stdout.write(`10,000 events (+3,000 redelivered) drained in ${drainedMs} ms\n`);
  });

  it('chains them gaplessly, with signed checkpoints, and verify passes', async () => {
    const { rows } = await running().ctx.db.raw<{ rows: { min: number; max: number; n: number }[] }>('select min(seq)::int as min, max(seq)::int as max, count(*)::int as n from events');
    expect(rows[0]).toEqual({ min: 1, max: 10_000, n: 10_000 });
    const checkpoints = await running().ctx.db('checkpoints').count<{ n: string }[]>('* as n');
    expect(Number(checkpoints[0]?.n)).toBeGreaterThanOrEqual(9);
    const result = await running().exposes.verify.verify({});
    expect(result).toMatchObject({ ok: true, from_seq: 1, to_seq: 10_000, checked: 10_000, first_bad: null });
  });

  it('with the audit service stopped, 1,000 actions wait in the queue; started again, all 1,000 arrive', async () => {
    await running().close();
    audit = null;
    const later = Array.from({ length: 1000 }, (_, n) => signInEvent(20_000 + n));
    await deliver(later);
    expect(await producer.queue.getWaitingCount()).toBe(1000);
    await start();
    await until('the 1,000 events to arrive', async () => (await unfinished()) === 0 && (await stored()).rows >= 11_000, 60_000);
    expect(await stored()).toEqual({ rows: 11_000, ids: 11_000 });
    const { rows } = await running().ctx.db.raw<{ rows: { n: number }[] }>('select count(*)::int as n from events where event_id = any(?::uuid[])', [later.map((e) => e.id)]);
    expect(rows[0]?.n).toBe(1000);
    expect(await running().exposes.verify.verify({})).toMatchObject({ ok: true, checked: 11_000 });
  });
});
