import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
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
const record = (count: number) => audit.exposes.writer.append(Array.from({ length: count }, () => eventContent(signInEvent(n++, clock))));
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

});
