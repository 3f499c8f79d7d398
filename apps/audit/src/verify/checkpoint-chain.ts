import type { Knex } from 'knex';
import type { AuditVerifyResult } from '@inkwell/contracts';
import type { ChainHead, ChainStore } from '../chain/chain.store';
import type { CheckpointsStore } from '../checkpoints/checkpoints.store';

type FirstBad = NonNullable<AuditVerifyResult['first_bad']>;

/**
 * What vouches for the whole log, checked before the events: the floor and the signed checkpoints.
 * Events re-hashed after an edit verify among themselves; only checkpoints can tell, so deleting
 * them must show. Each checkpoint signs the seq of the one before it (`prev_seq`) and the most
 * events the writer leaves between two (`max_gap`, AUDIT_CHECKPOINT_EVERY): so
 * - the floor (`chain_head.floor_seq`, where retention cut the log) must sit at most one past the
 *   head, and above 1 be vouched for by retention's signed floor checkpoint at `floor - 1`;
 * - from there every checkpoint must link to the one before it (a deleted one is named by its
 *   successor's link) and lie within the head (one past it: the tail was cut back);
 * - the newest must be less than `max_gap` events behind the head (deleting the newest ones).
 * What this cannot see: cutting the tail back to a checkpoint within one interval of the head, with
 * the head row rewritten to match; that needs a copy of the head outside the database.
 */
export class CheckpointChain {
  constructor(
    private readonly chain: ChainStore,
    private readonly checkpoints: CheckpointsStore,
    /** The writer's AUDIT_CHECKPOINT_EVERY now (it may have been another when older checkpoints were signed). */
    private readonly checkpointEvery: number,
  ) {}

  async firstFault(db: Knex, head: ChainHead): Promise<FirstBad | null> {
    const floor = head.floor_seq;
    if (floor < 1 || floor > head.seq + 1) return { seq: floor, event_id: null, reason: 'floor_invalid' };
    let prev = 0;
    if (floor > 1) {
      const cut = await this.checkpoints.at(db, floor - 1);
      if (!cut?.floor || !this.checkpoints.isGenuine(cut)) return { seq: floor - 1, event_id: null, reason: 'floor_invalid' };
      prev = cut.seq;
    }
    let maxGap = this.checkpointEvery;
    let afterFloor = floor > 1;
    for (const c of await this.checkpoints.from(db, prev + 1)) {
      if (!this.checkpoints.isGenuine(c)) return { seq: c.seq, event_id: null, reason: 'checkpoint_invalid' };
      if (c.seq > head.seq) return this.missingEvent(db, head.seq + 1);
      // The first one after the floor may link below it: its predecessor was pruned.
      const linked = c.prev_seq === prev || (afterFloor && c.prev_seq < prev);
      if (!linked && c.prev_seq > prev) return { seq: c.prev_seq, event_id: null, reason: 'checkpoint_missing' };
      if (!linked) return { seq: c.seq, event_id: null, reason: 'checkpoint_invalid' };
      if (c.seq - c.prev_seq > c.max_gap) return { seq: c.prev_seq + c.max_gap, event_id: null, reason: 'checkpoint_missing' };
      prev = c.seq;
      maxGap = c.max_gap;
      afterFloor = false;
    }
    // The writer signs the event that reaches `max_gap` past the last checkpoint, so fewer follow the newest.
    const allowed = Math.max(this.checkpointEvery, maxGap) - 1;
    if (head.seq - prev > allowed) return { seq: prev + allowed + 1, event_id: null, reason: 'checkpoint_missing' };
    return null;
  }

  private async missingEvent(db: Knex, seq: number): Promise<FirstBad> {
    const ids = await this.chain.idsBySeq(db, seq, seq);
    return { seq, event_id: ids.get(seq) ?? null, reason: 'deleted' };
  }
}
