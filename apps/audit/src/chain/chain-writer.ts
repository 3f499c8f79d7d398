import type { Db } from '@inkwell/db';
import type { CheckpointsStore } from '../checkpoints/checkpoints.store';
import { ensureMonthPartitions, monthOf } from '../partitions/month-partitions';
import { chainHash } from './chain-hash';
import type { ChainStore } from './chain.store';
import type { EventContent, EventRow } from './event-row';

export interface AppendResult {
  /** Events stored now; the rest of the batch had been stored before (a redelivered job). */
  readonly stored: number;
  readonly head: number;
}

/**
 * The only writer of the chain. One transaction per batch, under the chain head's row lock: event
 * ids already stored are skipped (at-least-once delivery becomes exactly-once storage), the rest
 * get the next seqs, one `recorded_at` that never goes back (a replica's clock behind the last
 * write takes the last write's time, so partitions hold prefixes of the chain), and their hashes;
 * every `checkpointEvery`-th event past the last checkpoint is signed in the same transaction.
 */
export class ChainWriter {
  private readonly months = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly chain: ChainStore,
    private readonly checkpoints: CheckpointsStore,
    private readonly opts: { readonly checkpointEvery: number; readonly now: () => Date },
  ) {}

  async append(contents: readonly EventContent[]): Promise<AppendResult> {
    const now = this.opts.now();
    await this.ensureMonth(now);
    return this.db.transaction(async (trx) => {
      const head = await this.chain.lockHead(trx);
      const stored = await this.chain.storedIds(trx, contents.map((c) => c.event_id));
      const fresh: EventContent[] = [];
      for (const c of contents) {
        if (stored.has(c.event_id)) continue;
        stored.add(c.event_id);
        fresh.push(c);
      }
      if (fresh.length === 0) return { stored: 0, head: head.seq };
      const recordedAt = head.recorded_at && head.recorded_at > now ? head.recorded_at : now;
      const recorded_at = recordedAt.toISOString();
      if (recordedAt !== now) await this.ensureMonth(recordedAt);
      let prev = head.hash;
      const rows: EventRow[] = fresh.map((c, i) => {
        const unhashed = { ...c, seq: head.seq + i + 1, recorded_at, prev_hash: prev };
        const row = { ...unhashed, hash: chainHash(unhashed) };
        prev = row.hash;
        return row;
      });
      await this.chain.insert(trx, rows);
      const last = rows[rows.length - 1];
      if (!last) return { stored: 0, head: head.seq };
      await this.chain.updateHead(trx, { seq: last.seq, hash: last.hash, recorded_at });
      // At every row that reaches `checkpointEvery` past the last checkpoint, whatever the batch's
      // size: verify counts on never more than that many events between two checkpoints.
      let lastCheckpoint = head.last_checkpoint_seq;
      for (const row of rows) {
        if (row.seq - lastCheckpoint < this.opts.checkpointEvery) continue;
        await this.checkpoints.write(trx, { seq: row.seq, hash: row.hash, recorded_at }, now);
        lastCheckpoint = row.seq;
      }
      return { stored: rows.length, head: last.seq };
    });
  }

  /** Signs the head if events arrived since the last checkpoint (the timer's part of "every N events or T seconds"). */
  async checkpointHead(): Promise<number | null> {
    const now = this.opts.now();
    return this.db.transaction(async (trx) => {
      const head = await this.chain.lockHead(trx);
      if (head.seq === 0 || head.seq <= head.last_checkpoint_seq || !head.recorded_at) return null;
      await this.checkpoints.write(trx, { seq: head.seq, hash: head.hash, recorded_at: head.recorded_at.toISOString() }, now);
      return head.seq;
    });
  }

  private async ensureMonth(at: Date): Promise<void> {
    const month = monthOf(at).name;
    if (this.months.has(month)) return;
    await ensureMonthPartitions(this.db, at, at);
    this.months.add(month);
  }
}
