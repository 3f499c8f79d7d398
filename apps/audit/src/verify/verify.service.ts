import type { Knex } from 'knex';
import { AppError, type AuditVerifyQuery, type AuditVerifyResult } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { ChainStore } from '../chain/chain.store';
import type { ChainVerifier } from './chain-verifier';

/**
 * `GET /api/admin/audit-logs/verify`: a range by seq or time, clamped to the kept log and to
 * `maxEvents` (the answer's `next_from` goes on from there), then walked. Always walked, even when
 * nothing of the log falls in the range: the floor and the checkpoints are checked every time, so
 * no edit of the head can make verify answer ok without looking.
 */
export class VerifyService {
  constructor(
    private readonly db: Db,
    private readonly chain: ChainStore,
    private readonly verifier: ChainVerifier,
    private readonly opts: { readonly maxEvents: number },
  ) {}

  async verify(q: AuditVerifyQuery): Promise<AuditVerifyResult> {
    if (typeof q.from === 'number' && typeof q.to === 'number' && q.from > q.to) throw new AppError('validation_failed', '`from` is after `to`', { from: q.from, to: q.to });
    if (typeof q.from === 'string' && typeof q.to === 'string' && Date.parse(q.from) > Date.parse(q.to)) throw new AppError('validation_failed', '`from` is after `to`', { from: q.from, to: q.to });
    // One snapshot: the head, the checkpoints and the events as of one instant, while the writer goes on appending.
    return this.db.transaction((trx) => this.verifyIn(trx, q), { isolationLevel: 'repeatable read', readOnly: true });
  }

  private async verifyIn(trx: Knex.Transaction, q: AuditVerifyQuery): Promise<AuditVerifyResult> {
    const head = await this.chain.head(trx);
    // Bounds within [1, head + 1]: a floor that is out of place is the walk's to report, not to clamp by.
    const floor = Math.min(Math.max(head.floor_seq, 1), head.seq + 1);
    const from = Math.min(Math.max(floor, await this.bound(trx, q.from, 'from', floor, head.seq)), head.seq + 1);
    const wanted = Math.min(head.seq, await this.bound(trx, q.to, 'to', head.seq, head.seq));
    const to = Math.min(wanted, from + this.opts.maxEvents - 1);
    const w = await this.verifier.walk(trx, from, to);
    const empty = from > to;
    const next_from = w.ok && to < wanted ? to + 1 : null;
    return { ok: w.ok, from_seq: empty ? null : w.from_seq, to_seq: empty ? null : w.to_seq, checked: w.checked, anchor_seq: w.anchor_seq, next_from, first_bad: w.first_bad };
  }

  private async bound(db: Knex, value: number | string | undefined, side: 'from' | 'to', fallback: number, headSeq: number): Promise<number> {
    if (value === undefined) return fallback;
    if (typeof value === 'number') return value;
    // A time: the first event stored at or after it (from), the last stored at or before it (to).
    const seq = await this.chain.seqAt(db, new Date(value).toISOString(), side);
    return seq ?? (side === 'from' ? headSeq + 1 : 0);
  }
}
