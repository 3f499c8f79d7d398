import { AppError, type AuditVerifyQuery, type AuditVerifyResult } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { ChainStore } from '../chain/chain.store';
import type { ChainVerifier } from './chain-verifier';

/** `GET /api/admin/audit-logs/verify`: a range by seq or time, clamped to the kept log, then walked. */
export class VerifyService {
  constructor(
    private readonly db: Db,
    private readonly chain: ChainStore,
    private readonly verifier: ChainVerifier,
  ) {}

  async verify(q: AuditVerifyQuery): Promise<AuditVerifyResult> {
    if (typeof q.from === 'number' && typeof q.to === 'number' && q.from > q.to) throw new AppError('validation_failed', '`from` is after `to`', { from: q.from, to: q.to });
    if (typeof q.from === 'string' && typeof q.to === 'string' && Date.parse(q.from) > Date.parse(q.to)) throw new AppError('validation_failed', '`from` is after `to`', { from: q.from, to: q.to });
    const head = await this.chain.head(this.db);
    const from = Math.max(head.floor_seq, await this.bound(q.from, 'from', head.floor_seq, head.seq));
    const to = Math.min(head.seq, await this.bound(q.to, 'to', head.seq, head.seq));
    // An empty range of a non-empty log: nothing to recompute. (An empty log is still walked: a row in it is inserted.)
    if (from > to && head.seq > 0) return { ok: true, from_seq: null, to_seq: null, checked: 0, anchor_seq: null, first_bad: null };
    const w = await this.verifier.walk(this.db, from, to);
    const empty = from > to;
    return { ok: w.ok, from_seq: empty ? null : w.from_seq, to_seq: empty ? null : w.to_seq, checked: w.checked, anchor_seq: w.anchor_seq, first_bad: w.first_bad };
  }

  private async bound(value: number | string | undefined, side: 'from' | 'to', fallback: number, headSeq: number): Promise<number> {
    if (value === undefined) return fallback;
    if (typeof value === 'number') return value;
    // A time: the first event stored at or after it (from), the last stored at or before it (to).
    const seq = await this.chain.seqAt(this.db, new Date(value).toISOString(), side);
    return seq ?? (side === 'from' ? headSeq + 1 : 0);
  }
}
