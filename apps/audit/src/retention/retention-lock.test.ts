import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { eventContent } from '../chain/event-row';
import { signInEvent } from '../testing/audit-fixtures';
import { auditServiceWith } from '../service';
import { ChainVerifier, type WalkResult } from '../verify/chain-verifier';
import { CheckpointChain } from '../verify/checkpoint-chain';
import { RetentionService } from './retention.service';

const logger = createLogger('audit-test', 'silent');
let clock = new Date('2026-01-10T12:00:00Z');
const service = auditServiceWith({ now: () => clock });
let env: TestEnv;
const launch = () => startService(service, { env: env.env, logger, poolMax: 4 });
let audit: Awaited<ReturnType<typeof launch>>;
let n = 0;
const record = (count: number) => audit.exposes.writer.append(Array.from({ length: count }, () => eventContent(signInEvent(n++, clock))));

/** The real verifier, held after its walk until the test lets it go: retention's verification, paused. */
class PausedVerifier extends ChainVerifier {
  walked!: Promise<void>;
  private markWalked: () => void = () => undefined;
  private release: () => void = () => undefined;
  private gate: Promise<void> = Promise.resolve();

  pause(): void {
    this.walked = new Promise((r) => (this.markWalked = r));
    this.gate = new Promise((r) => (this.release = r));
  }

  resume(): void {
    this.release();
  }

  override async walk(db: Knex, from: number, to: number): Promise<WalkResult> {
    const result = await super.walk(db, from, to);
    this.markWalked();
    await this.gate;
    return result;
  }
}

const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref())]);

let verifier: PausedVerifier;
let retention: RetentionService;

beforeAll(async () => {
  env = await createTestEnv({ AUDIT_RETENTION_DAYS: '90', AUDIT_CHECKPOINT_EVERY: '7' });
  audit = await launch();
  await record(20);
  clock = new Date('2026-06-01T00:00:00Z');
  await record(5);
  const { chain, checkpoints } = audit.exposes;
  verifier = new PausedVerifier(chain, checkpoints, new CheckpointChain(chain, checkpoints, 7));
  retention = new RetentionService(audit.ctx.db, chain, checkpoints, verifier, { days: 90, now: () => clock, logger });
});
afterAll(async () => {
  await audit.close();
  await env.cleanup();
});

describe('retention and ingestion', () => {
  it('refuses to drop when the last event it verified changed before it took the lock', async () => {
    verifier.pause();
    const run = retention.run();
    await verifier.walked;
    const original = await audit.exposes.chain.rowAt(audit.ctx.db, 20);
    await audit.ctx.db('events').where({ seq: 20 }).update({ hash: 'f'.repeat(64) });
    verifier.resume();
    await expect(run).rejects.toThrow(/changed after retention verified it/);
    await audit.ctx.db('events').where({ seq: 20 }).update({ hash: original?.hash });
    expect((await audit.ctx.db('chain_head').first<{ floor_seq: number }>())?.floor_seq).toBe(1);
  });

  it('verifies what it drops without holding the chain lock: events are stored meanwhile', async () => {
    verifier.pause();
    const run = retention.run();
    await verifier.walked;
    // Before the fix, retention verified inside its locked transaction and this append waited for it.
    expect(await within(10_000, 'an append during retention\'s verification', record(3))).toMatchObject({ stored: 3, head: 28 });
    verifier.resume();
    // January's partition, and February's (made empty at start, as the month ahead).
    expect(await run).toEqual({ dropped: ['events_2026_01', 'events_2026_02'], floor_seq: 21 });
    expect(await audit.exposes.verify.verify({})).toMatchObject({ ok: true, from_seq: 21, to_seq: 28, anchor_seq: 20, first_bad: null });
  });
});
