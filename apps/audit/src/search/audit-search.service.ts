import type { AuditLogEntry, AuditLogFilter, AuditLogPage, AuditLogQuery } from '@inkwell/contracts';
import type { AuditSearchStore } from './audit-search.store';

/** Rows per keyset batch of an export: under a megabyte of CSV, whatever the export's size. */
export const EXPORT_BATCH = 2_000;

/** The audit log's read side: pages, the export's batches and the live tail's next events. */
export class AuditSearchService {
  constructor(private readonly store: AuditSearchStore) {}

  /** One page, newest first; one row more than asked says whether an older page exists. */
  async page(query: AuditLogQuery): Promise<AuditLogPage> {
    const { limit, cursor, ...filter } = query;
    const rows = await this.store.newestFirst(filter, { before: cursor === undefined ? null : Number(cursor), limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? String(last.seq) : null };
  }

  /**
   * Every match, newest first, in keyset batches (`seq` below the last one sent): memory stays one
   * batch however many rows match, and no transaction stays open for the whole download. Events
   * stored meanwhile have higher seqs, so they neither appear nor shift the batches.
   */
  async *exportBatches(filter: AuditLogFilter, batch = EXPORT_BATCH): AsyncGenerator<AuditLogEntry[]> {
    let before: number | null = null;
    for (;;) {
      const rows = await this.store.newestFirst(filter, { before, limit: batch });
      if (rows.length > 0) yield rows;
      const last = rows[rows.length - 1];
      if (!last || rows.length < batch) return;
      before = last.seq;
    }
  }

  /** Where a live tail without `Last-Event-ID` starts: after the newest event stored now. */
  headSeq(): Promise<number> {
    return this.store.headSeq();
  }

  /**
   * The matches stored after `after`, oldest first, at most `limit`, and the seq to continue from.
   * The range is bounded by the head read first: the writer assigns seqs under the chain lock and
   * commits before releasing it, so every seq up to a visible head is visible too, and `next` can
   * move past non-matching events (a filtered tail then never rescans old rows) without skipping one.
   */
  async tail(filter: AuditLogFilter, after: number, limit: number): Promise<{ readonly events: AuditLogEntry[]; readonly next: number }> {
    const head = await this.store.headSeq();
    if (head <= after) return { events: [], next: after };
    const events = await this.store.oldestFirst(filter, { after, upTo: head, limit });
    const last = events[events.length - 1];
    return { events, next: events.length === limit && last ? last.seq : head };
  }
}
