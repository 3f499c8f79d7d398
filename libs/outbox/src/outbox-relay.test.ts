import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createRedis, TypedQueue } from '@inkwell/queue';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { Redis } from 'ioredis';
import { auditRecorder } from './audit-recorder';
import { enqueueJob } from './enqueue-job';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { createOutboxTable } from './outbox-table';
import { enqueue } from './outbox.store';
import type { OutboxEmail } from './outbox-topics';
import { auditToQueue, jobsToQueues } from './queue-handlers';
import type { TopicHandler } from './topic-handler';

const SCHEMA = 'outbox_lib_test';
const silent = createLogger('outbox-test', 'silent');
const recordAudit = auditRecorder('outbox-test');

let env: TestEnv;
let db: Db;
let redis: Redis;
let auditQueue: TypedQueue<'audit'>;

beforeAll(async () => {
  env = await createTestEnv();
  db = createDb({ url: env.database.url, schema: SCHEMA, poolMax: 6 });
  await db.raw('create schema ??', [SCHEMA]);
  await createOutboxTable(db);
  redis = createRedis(env.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  auditQueue = new TypedQueue('audit', redis, env.redisPrefix);
});
afterAll(async () => {
  await auditQueue.queue.obliterate({ force: true });
  await auditQueue.close();
  redis.disconnect();
  await db.destroy();
  await env.cleanup();
});

interface Row {
  id: string;
  topic: string;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
}
const row = async (id: string): Promise<Row | undefined> => db<Row>('outbox').where({ id }).first();

/** An e-mail handler that records what it delivered and fails for the addresses it is told to. */
function recordingEmail(failFirst: Record<string, number> = {}) {
  const delivered: { id: string; to: string; at: number }[] = [];
  const attempts: { to: string; at: number }[] = [];
  const waiters: { to: string; resolve: () => void }[] = [];
  const handler: TopicHandler<'email'> = {
    async deliver(email: OutboxEmail, rowId) {
      attempts.push({ to: email.to, at: Date.now() });
      // Yields, so two relays draining at once really interleave.
      await new Promise((r) => setImmediate(r));
      const left = failFirst[email.to] ?? 0;
      if (left > 0) {
        failFirst[email.to] = left - 1;
        throw new Error(`refused ${email.to}`);
      }
      delivered.push({ id: rowId, to: email.to, at: Date.now() });
      for (const w of waiters.filter((w) => w.to === email.to)) w.resolve();
    },
  };
  const deliveredTo = (to: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (delivered.some((d) => d.to === to)) return resolve();
      const timer = setTimeout(() => reject(new Error(`${to} was not delivered within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ to, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { handler, delivered, attempts, deliveredTo };
}

const relay = (handlers: OutboxRelayOptions['handlers'], over: Partial<OutboxRelayOptions> = {}) => new OutboxRelay({ db, logger: silent, handlers, ...over });
const email = (to: string): OutboxEmail => ({ to, subject: 'Hello', text: `for ${to}` });

describe('outbox', () => {
  it('a rolled-back transaction leaves nothing to deliver', async () => {
    const mail = recordingEmail();
    await expect(
      db.transaction(async (trx) => {
        await enqueue(trx, 'email', email('rollback@example.com'));
        await recordAudit(trx, { action: 'test.rollback', actor: { kind: 'system' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db('outbox').whereRaw(`payload->>'to' = 'rollback@example.com' or payload->>'action' = 'test.rollback'`)).toHaveLength(0);
    await relay({ email: mail.handler }).drain();
    expect(mail.attempts.filter((a) => a.to === 'rollback@example.com')).toHaveLength(0);
  });

  it('refuses a payload that does not match its topic, inside the transaction', async () => {
    await expect(db.transaction((trx) => enqueue(trx, 'email', { to: 'not an address', subject: 'x', text: 'y' }))).rejects.toThrow();
  });

  it('delivers each committed row exactly once, also with two relays draining at once', async () => {
    const mail = recordingEmail();
    const ids = await db.transaction(async (trx) => {
      const out: string[] = [];
      for (let i = 0; i < 60; i++) out.push(await enqueue(trx, 'email', email(`once${i}@example.com`)));
      return out;
    });
    const a = relay({ email: mail.handler }, { batchSize: 7, concurrency: 3 });
    const b = relay({ email: mail.handler }, { batchSize: 7, concurrency: 3 });
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    expect(ra.sent + rb.sent).toBe(60);
    // Both took part, and no row went out twice.
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    expect(mail.delivered.map((d) => d.id).sort()).toEqual([...ids].sort());
    const unsent = await db('outbox').whereIn('id', ids).whereNull('sent_at');
    expect(unsent).toHaveLength(0);
    // A later pass finds nothing more to send.
    expect((await a.drain()).sent).toBe(0);
  });

  it('retries a failing row later, with exponential backoff, without holding up the rows behind it', async () => {
    const mail = recordingEmail({ 'flaky@example.com': 2 });
    const [flaky, steady] = await db.transaction(async (trx) => [await enqueue(trx, 'email', email('flaky@example.com')), await enqueue(trx, 'email', email('steady@example.com'))]);
    const r = relay({ email: mail.handler }, { intervalMs: 20, backoff: { baseMs: 300, maxMs: 10_000 } });

    // First pass: the older row fails, the newer one goes out anyway.
    expect(await r.drain()).toEqual({ sent: 1, failed: 1 });
    expect(mail.delivered.map((d) => d.to)).toEqual(['steady@example.com']);
    const failed = await row(flaky ?? '');
    expect(failed?.attempts).toBe(1);
    expect(failed?.last_error).toContain('refused');
    expect(failed?.sent_at).toBeNull();
    expect((await row(steady ?? ''))?.sent_at).not.toBeNull();
    // Not due yet: an immediate pass leaves it alone.
    expect(await r.drain()).toEqual({ sent: 0, failed: 0 });

    r.start();
    await mail.deliveredTo('flaky@example.com', 10_000);
    await r.stop();
    const tries = mail.attempts.filter((a) => a.to === 'flaky@example.com').map((a) => a.at);
    expect(tries).toHaveLength(3);
    // Waits of 300 ms, then 600 ms (less a little for timer granularity).
    expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(280);
    expect((tries[2] ?? 0) - (tries[1] ?? 0)).toBeGreaterThanOrEqual(580);
    expect(mail.delivered.filter((d) => d.to === 'flaky@example.com')).toHaveLength(1);
    const done = await row(flaky ?? '');
    expect(done?.sent_at).not.toBeNull();
    expect(done?.attempts).toBe(2);
  }, 20_000);

  it('gives up on a delivery that hangs, aborting it, and retries it later', async () => {
    const id = await db.transaction((trx) => enqueue(trx, 'email', email('silent@example.com')));
    let aborted: unknown;
    const hanging: TopicHandler<'email'> = {
      deliver: (_email, _rowId, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(signal.reason as Error);
          }),
        ),
    };
    expect(await relay({ email: hanging }, { deliverTimeoutMs: 200, backoff: { baseMs: 60_000, maxMs: 60_000 } }).drain()).toEqual({ sent: 0, failed: 1 });
    expect(String(aborted)).toContain('within 200 ms');
    const r = await row(id);
    expect(r?.last_error).toContain('within 200 ms');
    expect(r?.sent_at).toBeNull();
    expect(r?.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it('survives a Redis outage: the failed delivery is recorded, and the audit event goes out once Redis is back', async () => {
    const event = await db.transaction((trx) => recordAudit(trx, { action: 'test.outage', actor: { kind: 'system' } }));
    expect(event.service).toBe('outbox-test');

    // A queue whose Redis is down (nothing listens on port 1): adds fail as they do in an outage.
    const downRedis = createRedis('redis://127.0.0.1:1', 'client', { retryStrategy: () => null });
    downRedis.on('error', () => undefined);
    const downQueue = new TypedQueue('audit', downRedis, env.redisPrefix);
    downQueue.queue.on('error', () => undefined);
    const failing = relay({ audit: auditToQueue(downQueue) }, { deliverTimeoutMs: 2000, backoff: { baseMs: 1, maxMs: 1 } });
    expect((await failing.drain()).failed).toBeGreaterThanOrEqual(1);
    downRedis.disconnect();
    const after = await row(event.id);
    expect(after?.attempts).toBe(1);
    expect(after?.last_error).toEqual(expect.any(String));

    // Redis is back: a pass on a healthy queue relays it, as the audit job whose id is the event id.
    const healthy = relay({ audit: auditToQueue(auditQueue) });
    await expect.poll(async () => (await healthy.drain(), (await row(event.id))?.sent_at ?? null), { timeout: 5000 }).not.toBeNull();
    const job = await auditQueue.queue.getJob(event.id);
    expect((job?.data as { payload: { action: string } } | undefined)?.payload.action).toBe('test.outage');
  }, 20_000);

  it('writes a BullMQ job for any queue through the job topic, with the outbox row id as job id', async () => {
    const event = { ...(await db.transaction((trx) => recordAudit(trx, { action: 'test.job_topic', actor: { kind: 'system' } }))), action: 'test.via_job' };
    const jobId = await db.transaction((trx) => enqueueJob(trx, 'audit', 'audit.record', event, { request_id: 'req-1', actor_id: null }));
    // A payload the queue's contract refuses never reaches the table.
    await expect(db.transaction((trx) => enqueueJob(trx, 'audit', 'audit.record', { ...event, action: 'Not An Action' }, { request_id: null, actor_id: null }))).rejects.toThrow();

    const withoutProducer = relay({ job: jobsToQueues([]) }, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    expect((await withoutProducer.drain()).failed).toBe(1);
    expect((await row(jobId))?.last_error).toContain('no producer for queue audit');

    await db('outbox').where({ id: jobId }).update({ next_attempt_at: db.fn.now() }); // the operator's "retry now"
    expect((await relay({ job: jobsToQueues([auditQueue]) }).drain()).sent).toBe(1);
    const job = await auditQueue.queue.getJob(jobId);
    expect(job?.name).toBe('audit.record');
    expect(job?.data).toMatchObject({ payload: { action: 'test.via_job' }, meta: { request_id: 'req-1' } });
  });

  it('keeps the rows of a topic that is off, and says so once', async () => {
    const lines: string[] = [];
    const logger = createLogger('outbox-test', 'info', { write: (line: string) => void lines.push(line) });
    const id = await db.transaction((trx) => enqueue(trx, 'email', email('kept@example.com')));
    const r = new OutboxRelay({ db, logger, handlers: { email: { off: 'SMTP_URL is not set' } }, intervalMs: 60_000 });
    r.start();
    await r.stop();
    r.start();
    await r.stop();
    expect(lines.filter((l) => l.includes('outbox delivery of email is off (SMTP_URL is not set)'))).toHaveLength(1);
    expect((await r.drain()).sent).toBe(0);
    expect((await row(id))?.sent_at).toBeNull();
  });
});
