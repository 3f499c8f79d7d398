import type { Knex } from 'knex';
import type { AuditChainFault, AuditVerifyResult } from '@inkwell/contracts';
import type { Checkpoint, CheckpointsStore } from '../checkpoints/checkpoints.store';
import { chainHash, GENESIS_HASH } from '../chain/chain-hash';
import type { ChainStore } from '../chain/chain.store';
import type { EventRow } from '../chain/event-row';
import type { CheckpointChain } from './checkpoint-chain';

type FirstBad = NonNullable<AuditVerifyResult['first_bad']>;

/** A walk's outcome, plus what retention needs: the hash the chain has at `to_seq`. */
export interface WalkResult extends AuditVerifyResult {
  readonly last_hash: string | null;
}

const PAGE = 5000;

/**
 * First checks what vouches for the whole log (the floor and the signed checkpoints' links, see
 * CheckpointChain: an empty range still gets this), then recomputes the chain over [from, to]
 * (seqs, already clamped to the kept log) starting from the newest checkpoint before `from` (or
 * the start of the chain), and stops at the first event that does not fit: a missing seq (`deleted`), a row the writer never stored (`inserted`: an unknown
 * event id, a second row with one seq, a row past the head), content that no longer gives its
 * hash, a broken link to the previous hash, or a signed checkpoint the chain no longer reaches
 * (`altered`).
 */
export class ChainVerifier {
  constructor(
    private readonly chain: ChainStore,
    private readonly checkpoints: CheckpointsStore,
    private readonly checkpointChain: CheckpointChain,
  ) {}

  async walk(db: Knex, from: number, to: number): Promise<WalkResult> {
    const head = await this.chain.head(db);
    const range = { from_seq: from, to_seq: to };
    const fail = (first_bad: FirstBad, checked: number, anchor_seq: number | null): WalkResult => ({ ok: false, ...range, checked, anchor_seq, first_bad, next_from: null, last_hash: null });

    const structural = await this.checkpointChain.firstFault(db, head);
    if (structural) return fail(structural, 0, null);

    // Rows the writer cannot have written: below the floor (when the range starts there) or past the head.
    if (from <= head.floor_seq) {
      const below = await this.chain.firstOutside(db, 'below', head.floor_seq);
      if (below) return fail({ seq: below.seq, event_id: below.event_id, reason: 'inserted' }, 0, null);
    }

    const anchor = await this.anchor(db, head.floor_seq, from);
    if ('fault' in anchor) return fail(anchor.fault, 0, null);
    const anchorSeq = anchor.seq;
    const signed = new Map<number, Checkpoint>((await this.checkpoints.between(db, anchorSeq + 1, to)).map((c) => [c.seq, c]));

    let expected = anchorSeq + 1;
    let prev = anchor.hash;
    let prevId: string | null = null;
    let checked = 0;
    let after: { seq: number; event_id: string } | null = null;
    for (;;) {
      const rows = await this.chain.page(db, anchorSeq + 1, to, after, PAGE);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      if (!last) break;
      after = { seq: last.seq, event_id: last.event_id };
      const ids = await this.chain.idsBySeq(db, rows[0]?.seq ?? last.seq, last.seq);
      for (let i = 0; i < rows.length; ) {
        const row = rows[i];
        if (!row) break;
        // A seq that continues onto the next page is finished there: fetch from its start.
        let j = i;
        while (j < rows.length && rows[j]?.seq === row.seq) j++;
        if (j === rows.length && rows.length === PAGE && i > 0) {
          after = { seq: row.seq - 1, event_id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
          break;
        }
        const group = rows.slice(i, j);
        i = j;
        if (row.seq > expected) return fail(await this.missing(db, expected), checked, anchorSeq);
        const registered = ids.get(row.seq);
        // Two rows with one seq: the writer's index says which one it stored.
        const genuine = group.length > 1 ? (group.find((r) => r.event_id === registered) ?? row) : row;
        const intruder = group.find((r) => r !== genuine);
        checked++;
        const fault = this.check(genuine, prev, prevId, registered);
        if (fault) return fail(fault, checked, anchorSeq);
        if (intruder) return fail({ seq: intruder.seq, event_id: intruder.event_id, reason: 'inserted' }, checked, anchorSeq);
        const checkpoint = signed.get(genuine.seq);
        if (checkpoint && !this.checkpoints.isGenuine(checkpoint)) return fail({ seq: checkpoint.seq, event_id: null, reason: 'checkpoint_invalid' }, checked, anchorSeq);
        if (checkpoint && checkpoint.hash !== genuine.hash) return fail({ seq: genuine.seq, event_id: genuine.event_id, reason: 'altered' }, checked, anchorSeq);
        prev = genuine.hash;
        prevId = genuine.event_id;
        expected = genuine.seq + 1;
      }
    }
    if (expected <= to) return fail(await this.missing(db, expected), checked, anchorSeq);
    if (to === head.seq) {
      // The last event has no successor to vouch for it; the head's own copy of its hash does.
      if (to > 0 && prev !== head.hash) return fail({ seq: to, event_id: prevId, reason: 'altered' }, checked, anchorSeq);
      const beyond = await this.chain.firstOutside(db, 'above', head.seq);
      if (beyond) return fail({ seq: beyond.seq, event_id: beyond.event_id, reason: 'inserted' }, checked, anchorSeq);
    }
    return { ok: true, ...range, checked, anchor_seq: anchorSeq, first_bad: null, next_from: null, last_hash: prev };
  }

  /** One event against the chain so far: its own hash, its link, and the writer's record of it. */
  private check(row: EventRow, prev: string, prevId: string | null, registered: string | undefined): FirstBad | null {
    const at = (reason: AuditChainFault): FirstBad => ({ seq: row.seq, event_id: row.event_id, reason });
    if (chainHash(row) !== row.hash) return at('altered');
    if (row.prev_hash !== prev) {
      // A self-consistent row that does not link: a forged one, or its predecessor was rewritten (hash and all).
      if (registered !== row.event_id) return at('inserted');
      return { seq: row.seq - 1, event_id: prevId, reason: 'altered' };
    }
    if (registered !== row.event_id) return at('inserted');
    return null;
  }

  /** Where the recomputation starts: the newest genuine checkpoint in [floor - 1, from - 1], or the chain's start. */
  private async anchor(db: Knex, floor: number, from: number): Promise<{ seq: number; hash: string } | { fault: FirstBad }> {
    const checkpoint = await this.checkpoints.latestBetween(db, floor - 1, from - 1);
    if (checkpoint) {
      if (!this.checkpoints.isGenuine(checkpoint)) return { fault: { seq: checkpoint.seq, event_id: null, reason: 'checkpoint_invalid' } };
      return { seq: checkpoint.seq, hash: checkpoint.hash };
    }
    if (floor <= 1) return { seq: 0, hash: GENESIS_HASH };
    // Retention always leaves a checkpoint at floor - 1; without it nothing vouches for the first kept event.
    return { fault: { seq: floor - 1, event_id: null, reason: 'checkpoint_invalid' } };
  }

  private async missing(db: Knex, seq: number): Promise<FirstBad> {
    const ids = await this.chain.idsBySeq(db, seq, seq);
    return { seq, event_id: ids.get(seq) ?? null, reason: 'deleted' };
  }
}
