import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import type { CheckpointsStore } from '../checkpoints/checkpoints.store';
import type { ChainStore } from '../chain/chain.store';
import { listMonthPartitions } from '../partitions/month-partitions';
import type { ChainVerifier } from '../verify/chain-verifier';

export interface RetentionOutcome {
  readonly dropped: readonly string[];
  /** The first seq kept (verify starts at the checkpoint just before it). */
  readonly floor_seq: number;
}

const DAY_MS = 86_400_000;

/**
 * Retention: drops whole monthly partitions whose every event is older than the retention period.
 * Partitions follow `recorded_at`, which grows with seq, so what goes is a prefix of the chain.
 * First the chain up to the last dropped event is verified (a tampered log is kept for the
 * people who will look into it) and a signed checkpoint is written at that event, so verify can
 * start there once it is gone. All in one transaction under the chain lock: writers wait, and a
 * crash halfway leaves everything as it was. Runs from the maintenance timer, never from a route.
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
    const cutoff = new Date(now.getTime() - this.opts.days * DAY_MS);
    return this.db.transaction(async (trx) => {
      const head = await this.chain.lockHead(trx);
      const old = (await listMonthPartitions(trx)).filter((p) => p.to <= cutoff);
      const keptFrom = old.reduce((max, p) => (p.to > max ? p.to : max), new Date(0));
      if (old.length === 0) return { dropped: [], floor_seq: head.floor_seq };
      const firstKept = await this.chain.seqAt(trx, keptFrom.toISOString(), 'from');
      const floor = firstKept ?? head.seq + 1;
      const lastDropped = floor - 1;
      if (lastDropped >= head.floor_seq) {
        const walked = await this.verifier.walk(trx, head.floor_seq, lastDropped);
        if (!walked.ok || walked.last_hash === null) {
          this.opts.logger.error({ first_bad: walked.first_bad }, 'audit retention refused: the chain does not verify up to the events it would drop');
          throw new Error(`audit chain does not verify up to seq ${lastDropped}; nothing dropped`);
        }
        const row = await this.chain.rowAt(trx, lastDropped);
        const recordedAt = row?.recorded_at ?? head.recorded_at?.toISOString() ?? now.toISOString();
        await this.checkpoints.write(trx, { seq: lastDropped, hash: walked.last_hash, recorded_at: recordedAt }, now);
      }
      for (const p of old) await trx.raw('drop table ??', [p.name]);
      await this.checkpoints.deleteBelow(trx, lastDropped);
      await trx('event_ids').where('seq', '<', floor).delete();
      await this.chain.updateHead(trx, { floor_seq: Math.max(floor, head.floor_seq) });
      const dropped = old.map((p) => p.name);
      this.opts.logger.info({ dropped, floor_seq: floor, cutoff: cutoff.toISOString() }, 'audit retention dropped partitions');
      return { dropped, floor_seq: floor };
    });
  }
}
