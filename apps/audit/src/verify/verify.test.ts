import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { chainHash } from '../chain/chain-hash';
import { VerifyService } from './verify.service';
import { eventContent, type EventRow } from '../chain/event-row';
import { signInEvent } from '../testing/audit-fixtures';
import { auditService } from '../service';

const logger = createLogger('audit-test', 'silent');
let env: TestEnv;
const launch = () => startService(auditService, { env: env.env, logger, poolMax: 4 });
let audit: Awaited<ReturnType<typeof launch>>;
const db = () => audit.ctx.db;
const verify = (q: { from?: number | string; to?: number | string } = {}) => audit.exposes.verify.verify(q);
const rowAt = async (seq: number): Promise<EventRow> => {
  const row = await audit.exposes.chain.rowAt(db(), seq);
  if (!row) throw new Error(`no event at seq ${seq}`);
  return row;
};
const insertRow = (row: EventRow) => db()('events').insert({ ...row, details: JSON.stringify(row.details) });

beforeAll(async () => {
  // A checkpoint every 10 events: ranges start from one in the middle of the chain.
  env = await createTestEnv({ AUDIT_CHECKPOINT_EVERY: '10' });
  audit = await launch();
  for (let i = 0; i < 5; i++) await audit.exposes.writer.append(Array.from({ length: 10 }, (_, n) => eventContent(signInEvent(i * 10 + n))));
});
afterAll(async () => {
  await audit.close();
  await env.cleanup();
});

describe('GET /api/admin/audit-logs/verify', () => {
  it('passes on an untouched chain, whole or in part (seq or time), starting from the nearest checkpoint', async () => {
    expect(await verify()).toMatchObject({ ok: true, from_seq: 1, to_seq: 50, checked: 50, anchor_seq: 0, first_bad: null });
    expect(await verify({ from: 25, to: 32 })).toMatchObject({ ok: true, from_seq: 25, to_seq: 32, anchor_seq: 20, checked: 12 });
    const at = (await rowAt(1)).recorded_at;
    expect(await verify({ from: at, to: new Date().toISOString() })).toMatchObject({ ok: true, from_seq: 1, to_seq: 50 });
  });

  it('names an event edited in place (altered), and passes again once it is put back', async () => {
    const before = await rowAt(17);
    await db()('events').where({ seq: 17 }).update({ action: 'auth.logout' });
    expect(await verify()).toMatchObject({ ok: false, first_bad: { seq: 17, event_id: before.event_id, reason: 'altered' } });
    await db()('events').where({ seq: 17 }).update({ action: before.action });
    expect((await verify()).ok).toBe(true);
  });

  it('names an event whose time alone was moved', async () => {
    const before = await rowAt(23);
    await db()('events').where({ seq: 23 }).update({ occurred_at: new Date(Date.parse(before.occurred_at) - 3_600_000).toISOString() });
    expect((await verify()).first_bad).toEqual({ seq: 23, event_id: before.event_id, reason: 'altered' });
    await db()('events').where({ seq: 23 }).update({ occurred_at: before.occurred_at });
  });

  it('names an event edited and re-hashed by someone who knows the hash (its successor no longer links to it)', async () => {
    const before = await rowAt(33);
    const forged = { ...before, details: { n: 999 } };
    await db()('events').where({ seq: 33 }).update({ details: JSON.stringify(forged.details), hash: chainHash(forged) });
    expect((await verify()).first_bad).toEqual({ seq: 33, event_id: before.event_id, reason: 'altered' });
    await db()('events').where({ seq: 33 }).update({ details: JSON.stringify(before.details), hash: before.hash });
    expect((await verify()).ok).toBe(true);
  });

  it('names a deleted event by its seq and id', async () => {
    const before = await rowAt(8);
    await db()('events').where({ seq: 8 }).delete();
    expect(await verify()).toMatchObject({ ok: false, first_bad: { seq: 8, event_id: before.event_id, reason: 'deleted' } });
    await insertRow(before);
    expect((await verify()).ok).toBe(true);
  });

  it('names the deletion of the newest event', async () => {
    const before = await rowAt(50);
    await db()('events').where({ seq: 50 }).delete();
    expect((await verify()).first_bad).toEqual({ seq: 50, event_id: before.event_id, reason: 'deleted' });
    await insertRow(before);
  });

  it('names a row inserted beside an existing seq, even one that links and hashes correctly', async () => {
    const original = await rowAt(12);
    const unhashed = { ...original, event_id: randomUUID(), recorded_at: new Date(Date.parse(original.recorded_at) + 1).toISOString(), action: 'user.create' };
    const forged: EventRow = { ...unhashed, hash: chainHash(unhashed) };
    await insertRow(forged);
    expect(await verify()).toMatchObject({ ok: false, first_bad: { seq: 12, event_id: forged.event_id, reason: 'inserted' } });
    await db()('events').where({ event_id: forged.event_id }).delete();
    expect((await verify()).ok).toBe(true);
  });

  it('names a row appended past the head', async () => {
    const last = await rowAt(50);
    const unhashed = { ...last, seq: 51, event_id: randomUUID(), prev_hash: last.hash };
    const forged: EventRow = { ...unhashed, hash: chainHash(unhashed) };
    await insertRow(forged);
    expect((await verify()).first_bad).toEqual({ seq: 51, event_id: forged.event_id, reason: 'inserted' });
    await db()('events').where({ event_id: forged.event_id }).delete();
  });

  it('refuses a checkpoint whose signature is not the service\'s', async () => {
    const cp = await db()('checkpoints').where({ seq: 20 }).first<{ signature: string }>();
    await db()('checkpoints').where({ seq: 20 }).update({ hash: 'f'.repeat(64) });
    expect((await verify({ from: 25 })).first_bad).toEqual({ seq: 20, event_id: null, reason: 'checkpoint_invalid' });
    await db()('checkpoints').where({ seq: 20 }).update({ hash: (await rowAt(20)).hash, signature: cp?.signature });
    expect((await verify({ from: 25 })).ok).toBe(true);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(verify({ from: 9, to: 3 })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('the checkpoint timer signs a head that moved since the last checkpoint, and only then', async () => {
    await audit.exposes.writer.append([3, 4, 5].map((n) => eventContent(signInEvent(100 + n))));
    expect(await audit.exposes.writer.checkpointHead()).toBe(53);
    expect(await audit.exposes.writer.checkpointHead()).toBeNull();
    const signed = await audit.exposes.checkpoints.latestBetween(db(), 53, 53);
    expect(signed && audit.exposes.checkpoints.isGenuine(signed)).toBe(true);
    expect(signed?.hash).toBe((await rowAt(53)).hash);
    expect(await verify({ from: 54 })).toMatchObject({ ok: true, from_seq: null, checked: 0 });
  });

  // From here the log is seqs 1-53, checkpoints at 10, 20, 30, 40, 50 and 53 (the timer's).
  const savedCheckpoints = async () => {
    const rows: Record<string, unknown>[] = await db()('checkpoints').select();
    return async () => {
      await db()('checkpoints').delete();
      await db()('checkpoints').insert(rows);
    };
  };

  it('finds a floor moved by hand, past the head or within the log, even for a range that lies beyond the head', async () => {
    for (const floor of [1_000_000, 30]) {
      await db()('chain_head').update({ floor_seq: floor });
      const whole = await verify();
      expect(whole).toMatchObject({ ok: false, first_bad: { reason: 'floor_invalid' } });
      expect(await verify({ from: 1_000_000 })).toMatchObject({ ok: false, first_bad: { reason: 'floor_invalid' } });
    }
    // Within the log: retention's signed floor checkpoint at floor - 1 is what is missing.
    expect((await verify()).first_bad).toEqual({ seq: 29, event_id: null, reason: 'floor_invalid' });
    await db()('chain_head').update({ floor_seq: 1 });
    expect((await verify()).ok).toBe(true);
  });

  it('finds events re-hashed after an edit when every checkpoint was deleted', async () => {
    const restore = await savedCheckpoints();
    const originals = await Promise.all(Array.from({ length: 49 }, (_, i) => rowAt(i + 5)));
    let prev = (await rowAt(4)).hash;
    for (const row of originals) {
      const unhashed = { ...row, prev_hash: prev, details: row.seq === 5 ? { n: 'rewritten' } : row.details };
      prev = chainHash(unhashed);
      await db()('events').where({ seq: row.seq }).update({ details: JSON.stringify(unhashed.details), prev_hash: unhashed.prev_hash, hash: prev });
    }
    await db()('chain_head').update({ hash: prev });
    await db()('checkpoints').delete();
    // 53 events and no checkpoint: the writer signs every 10th.
    expect(await verify()).toMatchObject({ ok: false, first_bad: { seq: 10, event_id: null, reason: 'checkpoint_missing' } });
    for (const row of originals) await db()('events').where({ seq: row.seq }).update({ details: JSON.stringify(row.details), prev_hash: row.prev_hash, hash: row.hash });
    await db()('chain_head').update({ hash: originals[originals.length - 1]?.hash });
    await restore();
    expect((await verify()).ok).toBe(true);
  });

  it('names a checkpoint deleted from the middle (its successor signed a link to it), and the newest ones deleted', async () => {
    const restore = await savedCheckpoints();
    await db()('checkpoints').where({ seq: 30 }).delete();
    expect(await verify({ from: 45 })).toMatchObject({ ok: false, first_bad: { seq: 30, event_id: null, reason: 'checkpoint_missing' } });
    await restore();
    await db()('checkpoints').where('seq', '>=', 50).delete();
    // 13 events after the newest left (40): the writer would have signed the 50th.
    expect((await verify()).first_bad).toEqual({ seq: 50, event_id: null, reason: 'checkpoint_missing' });
    await restore();
    expect((await verify()).ok).toBe(true);
  });

  it('walks at most its maximum per request, and says where to go on', async () => {
    const bounded = new VerifyService(db(), audit.exposes.chain, audit.exposes.verifier, { maxEvents: 20 });
    const pages = [];
    for (let from: number | null = 1; from !== null && pages.length < 10; ) {
      const page = await bounded.verify({ from });
      pages.push(page);
      from = page.next_from;
    }
    expect(pages.map((p) => [p.ok, p.from_seq, p.to_seq, p.next_from])).toEqual([
      [true, 1, 20, 21],
      [true, 21, 40, 41],
      [true, 41, 53, null],
    ]);
    // Without a range, the first page.
    expect(await bounded.verify({})).toMatchObject({ ok: true, from_seq: 1, to_seq: 20, next_from: 21 });
  });
});
