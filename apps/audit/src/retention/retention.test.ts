import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { AuditEvent } from '@inkwell/contracts';
import { eventContent } from '../chain/event-row';
import { listMonthPartitions } from '../partitions/month-partitions';
import { signInEvent } from '../testing/audit-fixtures';
import { auditServiceWith } from '../service';

const logger = createLogger('audit-test', 'silent');
// The service's clock, moved by the test: events are recorded (and partitioned) by it.
let clock = new Date('2026-01-10T12:00:00Z');
const service = auditServiceWith({ now: () => clock });
let env: TestEnv;
const launch = () => startService(service, { env: env.env, logger, poolMax: 4 });
let audit: Awaited<ReturnType<typeof launch>>;
let n = 0;
const sent: AuditEvent[] = [];
const record = (count: number) =>
  audit.exposes.writer.append(
    Array.from({ length: count }, () => {
      const e = signInEvent(n++, clock);
      sent.push(e);
      return eventContent(e);
    }),
  );
const partitions = async () => (await listMonthPartitions(audit.ctx.db)).map((p) => p.name);

beforeAll(async () => {
  env = await createTestEnv({ AUDIT_RETENTION_DAYS: '90', AUDIT_CHECKPOINT_EVERY: '7' });
  audit = await launch();
  // January, February and March of 2026, then "today" is 1 June: 90 days back is 3 March.
  await record(20);
  clock = new Date('2026-02-15T08:00:00Z');
  await record(20);
  clock = new Date('2026-03-20T08:00:00Z');
  await record(20);
  clock = new Date('2026-06-01T00:00:00Z');
  await record(5);
});
afterAll(async () => {
  await audit.close();
  await env.cleanup();
});

describe('retention', () => {
  it('drops the whole partitions older than the retention period, and verify still passes from the checkpoint it leaves', async () => {
    expect(await partitions()).toEqual(expect.arrayContaining(['events_2026_01', 'events_2026_02', 'events_2026_03', 'events_2026_06']));
    expect((await audit.exposes.verify.verify({})).ok).toBe(true);

    const outcome = await audit.exposes.retention.run();
    expect(outcome).toEqual({ dropped: ['events_2026_01', 'events_2026_02'], floor_seq: 41 });
    expect(await partitions()).not.toContain('events_2026_01');
    expect(await partitions()).not.toContain('events_2026_02');

    const { rows } = await audit.ctx.db.raw<{ rows: { min: number; n: number }[] }>('select min(seq)::int as min, count(*)::int as n from events');
    expect(rows[0]).toEqual({ min: 41, n: 25 });
    const anchor = await audit.ctx.db('checkpoints').min<{ seq: number }>('seq as seq').first();
    expect(anchor?.seq).toBe(40);
    expect(await audit.exposes.verify.verify({})).toMatchObject({ ok: true, from_seq: 41, to_seq: 65, anchor_seq: 40, checked: 25, first_bad: null });
    // A range reaching back into what was pruned is the kept part of it.
    expect(await audit.exposes.verify.verify({ from: 1, to: 45 })).toMatchObject({ ok: true, from_seq: 41, to_seq: 45 });
  });

  it('refuses a very late redelivery of a pruned event as stale instead of storing it again', async () => {
    const pruned = sent[0];
    if (!pruned) throw new Error('no event was recorded');
    const headBefore = (await audit.exposes.chain.head(audit.ctx.db)).seq;
    await audit.exposes.batches.add(pruned);
    expect((await audit.exposes.chain.head(audit.ctx.db)).seq).toBe(headBefore);
    expect(await audit.ctx.db('events').where({ event_id: pruned.id }).first()).toBeUndefined();
    // A redelivery of a kept event is still skipped as stored, and a new event still stored.
    await audit.exposes.batches.add(sent[45] ?? pruned);
    await audit.exposes.batches.add(signInEvent(n++, clock));
    expect((await audit.exposes.chain.head(audit.ctx.db)).seq).toBe(headBefore + 1);
    expect((await audit.exposes.verify.verify({})).ok).toBe(true);
  });

  it('after pruning, tampering with the first kept event is still found', async () => {
    const first = await audit.exposes.chain.rowAt(audit.ctx.db, 41);
    await audit.ctx.db('events').where({ seq: 41 }).update({ result: 'failure' === first?.result ? 'success' : 'failure' });
    expect((await audit.exposes.verify.verify({})).first_bad).toEqual({ seq: 41, event_id: first?.event_id, reason: 'altered' });
    await audit.ctx.db('events').where({ seq: 41 }).update({ result: first?.result });
    expect((await audit.exposes.verify.verify({})).ok).toBe(true);
  });

  it('deleting a kept event at the start of the log is not mistaken for pruning', async () => {
    const first = await audit.exposes.chain.rowAt(audit.ctx.db, 41);
    await audit.ctx.db('events').where({ seq: 41 }).delete();
    expect((await audit.exposes.verify.verify({})).first_bad).toEqual({ seq: 41, event_id: first?.event_id, reason: 'deleted' });
  });

  it('the maintenance run makes next month\'s partition and finds nothing more to drop', async () => {
    await audit.exposes.maintenance.runNow();
    expect(await partitions()).toEqual(expect.arrayContaining(['events_2026_03', 'events_2026_06', 'events_2026_07']));
    expect((await audit.exposes.retention.run()).dropped).toEqual([]);
  });


  it('prunes minute rollups older than 2 days and day rollups (and daily actors) older than 400 days', async () => {
    const db = audit.ctx.db;
    const ago = (days: number) => new Date(clock.getTime() - days * 86_400_000);
    const day = (days: number) => ago(days).toISOString().slice(0, 10);
    await db('stats_minutes').insert([
      { minute: ago(3), metric: 'api_requests', key: 'old', count: 1 },
      { minute: ago(1), metric: 'api_requests', key: 'recent', count: 1 },
    ]);
    await db('stats_days').insert([
      { day: day(401), metric: 'api_requests', key: 'old', count: 1 },
      { day: day(399), metric: 'api_requests', key: 'recent', count: 1 },
    ]);
    await db('stats_actors').insert([
      { day: day(401), actor_kind: 'user', actor_id: 'old' },
      { day: day(399), actor_kind: 'user', actor_id: 'recent' },
    ]);
    await audit.exposes.retention.run();
    expect((await db('stats_minutes').whereIn('key', ['old', 'recent']).select('key')).map((r: { key: string }) => r.key)).toEqual(['recent']);
    expect((await db('stats_days').whereIn('key', ['old', 'recent']).select('key')).map((r: { key: string }) => r.key)).toEqual(['recent']);
    expect((await db('stats_actors').whereIn('actor_id', ['old', 'recent']).select('actor_id')).map((r: { actor_id: string }) => r.actor_id)).toEqual(['recent']);
  });
});
