import type { Knex } from 'knex';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import type { CheckpointsStore } from '../checkpoints/checkpoints.store';
import type { ChainStore } from '../chain/chain.store';
import { listMonthPartitions, type MonthPartition } from '../partitions/month-partitions';
import { StatsStore } from '../stats/stats.store';
import type { ChainVerifier } from '../verify/chain-verifier';

export interface RetentionOutcome {
  readonly dropped: readonly string[];
  /** The first seq kept (verify starts at the checkpoint just before it). */
  readonly floor_seq: number;
}

const DAY_MS = 86_400_000;
/** Minute rollups serve the last hour: two days leave room for late events and clock skew. */
const MINUTE_ROLLUP_DAYS = 2;
/** Day rollups serve 30 days: 400 keep a year-on-year look possible. */
const DAY_ROLLUP_DAYS = 400;

interface Plan {
  readonly old: readonly MonthPartition[];
  readonly floor: number;
}

/**
 * Retention: drops whole monthly partitions whose every event is older than the retention period.
 * Partitions follow `recorded_at`, which grows with seq, so what goes is a prefix of the chain.
 * First the chain up to the last dropped event is verified (a tampered log is kept for the people
 * who will look into it), without the chain lock: those events are old and the writer only
 * appends, so ingestion goes on meanwhile. Then, under the lock, the plan is made again, the hash
 * verified at the last dropped event is checked to be still there, retention's signed floor
 * checkpoint is written at it (what verify starts from once the rest is gone, and what vouches for
 * `chain_head.floor_seq`) and the partitions are dropped: one short transaction, so a crash
 * halfway leaves everything as it was. The same pass prunes the stats rollups. Runs from the
 * maintenance timer, never from a route.
 */
export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly chain: ChainStore,
    private readonly checkpoints: CheckpointsStore,
    private readonly verifier: ChainVerifier,
    private readonly opts: { readonly days: number; readonly now: () => Date; readonly logger: Logger },
  ) {}

  async run(): Promise<RetentionOutcome> {
    const now = this.opts.now();
    await this.pruneRollups(now);
    const cutoff = new Date(now.getTime() - this.opts.days * DAY_MS);
    const before = await this.chain.head(this.db);
    const plan = await this.plan(this.db, cutoff, before.seq);
    if (!plan) return { dropped: [], floor_seq: before.floor_seq };
    const lastDropped = plan.floor - 1;
    const verifiedHash = lastDropped >= before.floor_seq ? await this.verifyUpTo(before.floor_seq, lastDropped) : null;

    return this.db.transaction(async (trx) => {
      const head = await this.chain.lockHead(trx);
      const again = await this.plan(trx, cutoff, head.seq);
      // Another replica pruned meanwhile: what was verified may be gone; the next run starts over.
      if (!again || head.floor_seq !== before.floor_seq || again.floor !== plan.floor) return { dropped: [], floor_seq: head.floor_seq };
      if (verifiedHash !== null) {
        const row = await this.chain.rowAt(trx, lastDropped);
        if (row?.hash !== verifiedHash) {
          this.opts.logger.error({ seq: lastDropped }, 'audit retention refused: the event it verified changed before it could drop it');
          throw new Error(`audit event ${lastDropped} changed after retention verified it; nothing dropped`);
        }
        await this.checkpoints.writeFloor(trx, { seq: lastDropped, hash: verifiedHash, recorded_at: row.recorded_at }, now);
      }
      for (const p of again.old) await trx.raw('drop table ??', [p.name]);
      await this.checkpoints.deleteBelow(trx, lastDropped);
      // The event ids go too: a redelivery of one of these events is refused as stale at ingestion (see stale-events.ts).
      await trx('event_ids').where('seq', '<', plan.floor).delete();
      await this.chain.updateHead(trx, { floor_seq: Math.max(plan.floor, head.floor_seq) });
      const dropped = again.old.map((p) => p.name);
      this.opts.logger.info({ dropped, floor_seq: plan.floor, cutoff: cutoff.toISOString() }, 'audit retention dropped partitions');
      return { dropped, floor_seq: plan.floor };
    });
  }

  /** The partitions to drop and the first seq kept, or null when none is old enough. */
  private async plan(db: Knex, cutoff: Date, headSeq: number): Promise<Plan | null> {
    const old = (await listMonthPartitions(db)).filter((p) => p.to <= cutoff);
    if (old.length === 0) return null;
    const keptFrom = old.reduce((max, p) => (p.to > max ? p.to : max), new Date(0));
    const firstKept = await this.chain.seqAt(db, keptFrom.toISOString(), 'from');
    return { old, floor: firstKept ?? headSeq + 1 };
  }

  /** The chain's hash at `to` once [from, to] verifies (in one snapshot); throws, logging the first bad event, when it does not. */
  private async verifyUpTo(from: number, to: number): Promise<string> {
    const walked = await this.db.transaction((trx) => this.verifier.walk(trx, from, to), { isolationLevel: 'repeatable read', readOnly: true });
    if (!walked.ok || walked.last_hash === null) {
      this.opts.logger.error({ first_bad: walked.first_bad }, 'audit retention refused: the chain does not verify up to the events it would drop');
      throw new Error(`audit chain does not verify up to seq ${to}; nothing dropped`);
    }
    return walked.last_hash;
  }

  private async pruneRollups(now: Date): Promise<void> {
    const daysBefore = new Date(now.getTime() - DAY_ROLLUP_DAYS * DAY_MS).toISOString().slice(0, 10);
    const pruned = await StatsStore.prune(this.db, { minutesBefore: new Date(now.getTime() - MINUTE_ROLLUP_DAYS * DAY_MS), daysBefore });
    if (pruned.minutes + pruned.days + pruned.actors > 0) this.opts.logger.info(pruned, 'audit stats rollups pruned');
  }
}
