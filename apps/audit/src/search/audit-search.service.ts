import type { AuditLogEntry, AuditLogFilter, AuditLogPage, AuditLogQuery } from '@inkwell/contracts';
import type { AuditSearchStore, ExportRow } from './audit-search.store';

/**
 * Rows per keyset batch of an export (about 200 KB of CSV). Small on purpose: a batch's rows live
 * from its query until its text is written. With 2,000 (and a zod-parsed entry per row) about 2 MB
 * a batch outlived two young-generation GCs and was moved to the old generation, which V8 lets grow
 * to several times its live size before a full GC: the service's RSS rose 100-160 MB per export.
 */
export const EXPORT_BATCH = 500;

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
  async *exportBatches(filter: AuditLogFilter, batch = EXPORT_BATCH): AsyncGenerator<readonly ExportRow[]> {
    const byTime = await this.store.readsByTime(filter);
    const read = (before: number | null) => {
      const rows = this.store.newestFirstRows(filter, { before, limit: batch, byTime });
      // Handled here too: a download cut short leaves the read ahead unawaited, and its failure
      // must not become an unhandled rejection (an `await` on it still sees the error).
      rows.catch(() => undefined);
      return rows;
    };
    let next = read(null);
    for (;;) {
      const { rows, last } = await next;
      if (last === null || rows.length < batch) {
        if (rows.length > 0) yield rows;
        return;
      }
      // The next batch is read while this one is written: small batches would otherwise wait on
      // a round trip to PostgreSQL each.
      next = read(last);
      yield rows;
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
