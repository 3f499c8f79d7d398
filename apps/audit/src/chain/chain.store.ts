import type { Knex } from 'knex';
import type { EventRow } from './event-row';

/** The one-row head of the chain: the last event written, and the first retention kept. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly recorded_at: Date | null;
  readonly floor_seq: number;
  readonly last_checkpoint_seq: number;
}

type StoredEvent = Omit<EventRow, 'occurred_at' | 'recorded_at'> & { occurred_at: Date; recorded_at: Date };

const COLUMNS: string[] = [
  'seq', 'event_id', 'occurred_at', 'recorded_at', 'service', 'type', 'action', 'result', 'actor_kind', 'actor_id', 'actor_email',
  'actor_role', 'resource_type', 'resource_id', 'ip', 'user_agent', 'request_id', 'details', 'prev_hash', 'hash',
];

const fromStored = (r: StoredEvent): EventRow => ({ ...r, occurred_at: r.occurred_at.toISOString(), recorded_at: r.recorded_at.toISOString() });

/** All SQL on the events, the event-id index and the chain head. */
export class ChainStore {
  /** The head, locked until the transaction ends: every writer (and retention) takes turns here. */
  async lockHead(trx: Knex.Transaction): Promise<ChainHead> {
    const head = await trx<ChainHead>('chain_head').forUpdate().first();
    if (!head) throw new Error('audit.chain_head has no row; the migration inserts it');
    return head;
  }

  async head(db: Knex): Promise<ChainHead> {
    const head = await db<ChainHead>('chain_head').first();
    if (!head) throw new Error('audit.chain_head has no row; the migration inserts it');
    return head;
  }

  async updateHead(trx: Knex.Transaction, head: Partial<Omit<ChainHead, 'recorded_at'>> & { recorded_at?: string }): Promise<void> {
    await trx('chain_head').update(head);
  }

  /** Which of these event ids are stored already. */
  async storedIds(trx: Knex, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await trx.raw<{ rows: { event_id: string }[] }>('select event_id from event_ids where event_id = any(?::uuid[])', [[...ids]]);
    return new Set(rows.map((r) => r.event_id));
  }

  async insert(trx: Knex.Transaction, rows: readonly EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await trx('event_ids').insert(rows.map((r) => ({ event_id: r.event_id, seq: r.seq })));
    await trx('events').insert(rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })));
  }

  /**
   * Up to `limit` stored rows with from <= seq <= to, after (seq, event_id) `after`, in chain order;
   * duplicates of a seq (an inserted row) come out side by side.
   */
  async page(db: Knex, from: number, to: number, after: { seq: number; event_id: string } | null, limit: number): Promise<EventRow[]> {
    const q = db('events').select<StoredEvent[]>(COLUMNS).whereBetween('seq', [from, to]).orderBy([{ column: 'seq' }, { column: 'event_id' }]).limit(limit);
    if (after) q.whereRaw('(seq, event_id) > (?, ?::uuid)', [after.seq, after.event_id]);
    return (await q).map(fromStored);
  }

  /** The event id the writer stored at each seq of a range (its own record, apart from the events). */
  async idsBySeq(db: Knex, from: number, to: number): Promise<Map<number, string>> {
    const rows = await db<{ seq: number; event_id: string }>('event_ids').select('seq', 'event_id').whereBetween('seq', [from, to]);
    return new Map(rows.map((r) => [r.seq, r.event_id]));
  }

  /** The lowest stored row with seq outside [from, to] on the given side, if any (an inserted row). */
  async firstOutside(db: Knex, side: 'below' | 'above', bound: number): Promise<EventRow | null> {
    const q = db('events').select<StoredEvent[]>(COLUMNS).orderBy([{ column: 'seq' }, { column: 'event_id' }]).limit(1);
    const [row] = await (side === 'below' ? q.where('seq', '<', bound) : q.where('seq', '>', bound));
    return row ? fromStored(row) : null;
  }

  /** The first seq recorded at or after `at`, or the last recorded at or before it. */
  async seqAt(db: Knex, at: string, side: 'from' | 'to'): Promise<number | null> {
    const row =
      side === 'from'
        ? await db('events').min<{ seq: number | null }>('seq as seq').where('recorded_at', '>=', at).first()
        : await db('events').max<{ seq: number | null }>('seq as seq').where('recorded_at', '<=', at).first();
    return row?.seq ?? null;
  }

  async rowAt(db: Knex, seq: number): Promise<EventRow | null> {
    const [row] = await db('events').select<StoredEvent[]>(COLUMNS).where('seq', seq).orderBy('event_id').limit(1);
    return row ? fromStored(row) : null;
  }
}
