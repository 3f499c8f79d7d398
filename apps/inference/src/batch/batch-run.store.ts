import { z } from 'zod';
import { BatchJobStatus, TopClass, type BatchItemResult, type BatchSummary } from '@inkwell/contracts';
import type { Db } from '@inkwell/db';
import type { BatchOwner } from '../audit/prediction-audit';

/** A pending item as the worker sees it: where it is in the upload; its file is named by `idx`. */
export interface PendingItem {
  readonly idx: number;
  readonly name: string;
}

/** One item's outcome, as the worker commits it. */
export type ItemOutcome =
  | { readonly idx: number; readonly status: 'done'; readonly digit: number; readonly confidence: number; readonly top3: readonly TopClass[]; readonly uncertain: boolean }
  | { readonly idx: number; readonly status: 'error'; readonly errorCode: string };

/** The job's counters after a chunk's commit, and what this commit newly wrote (items already written are not counted again). */
export interface ChunkCommit extends JobCounts {
  readonly written: { readonly ok: number; readonly errors: Readonly<Record<string, number>> };
}

const WrittenRow = z.object({ newly_done: z.number().int(), newly_failed: z.record(z.string(), z.number().int()) });
const OwnerRow = z.object({ owner_id: z.string(), owner_kind: z.enum(['user', 'api_key']) });

export interface JobCounts {
  readonly status: BatchJobStatus;
  readonly total: number;
  readonly processed: number;
  readonly failed: number;
}

// The rows as PostgreSQL gives them, checked: a column changed under the worker fails loudly
// here rather than writing wrong results.
const CountsRow = z.object({ status: BatchJobStatus, total_images: z.number().int(), processed: z.number().int(), failed: z.number().int() });
const StatusRow = CountsRow.pick({ status: true });
const PendingRow = z.object({ idx: z.number().int(), name: z.string() });
const ItemRow = z.object({
  idx: z.number().int(),
  name: z.string(),
  status: z.enum(['pending', 'done', 'error']),
  digit: z.number().int().nullable(),
  confidence: z.number().nullable(),
  top3: z.array(TopClass).nullable(),
  uncertain: z.boolean().nullable(),
  error_code: z.string().nullable(),
});
// count(*)::int arrives as a number
const SummaryRow = z.object({ digit: z.number().int().nullable(), error_code: z.string().nullable(), uncertain: z.boolean().nullable(), n: z.number().int() });

const countsOf = (raw: unknown): JobCounts => {
  const row = CountsRow.parse(raw);
  return { status: row.status, total: row.total_images, processed: row.processed, failed: row.failed };
};

/**
 * The batch worker's SQL (`batch_jobs`, `batch_items`). Progress is checkpointed per chunk: a
 * chunk's item results and the job's counters change in one statement, and only items still
 * `pending` are written, so a resumed job (or a second worker that took a stalled job) never
 * counts an item twice.
 */
export class BatchRunStore {
  constructor(private readonly db: Db) {}

  /**
   * Marks the job running (first start or resume) and recounts its counters from the items, so
   * they are right whatever happened before: items refused at intake, a crash mid-chunk. Null when
   * the job is gone or already finished (a duplicate or late queue job has nothing to do).
   */
  async start(jobId: string): Promise<JobCounts | null> {
    const rows: unknown[] = await this.db('batch_jobs')
      .where({ id: jobId })
      .whereIn('status', ['queued', 'running'])
      .update({
        status: 'running',
        started_at: this.db.raw('coalesce(started_at, now())'),
        processed: this.db.raw("(select count(*) from batch_items i where i.job_id = batch_jobs.id and i.status <> 'pending')"),
        failed: this.db.raw("(select count(*) from batch_items i where i.job_id = batch_jobs.id and i.status = 'error')"),
      })
      .returning(['status', 'total_images', 'processed', 'failed']);
    const row = rows[0];
    return row ? countsOf(row) : null;
  }

  async status(jobId: string): Promise<BatchJobStatus | null> {
    const row: unknown = await this.db('batch_jobs').where({ id: jobId }).first('status');
    return row ? StatusRow.parse(row).status : null;
  }

  async counts(jobId: string): Promise<JobCounts | null> {
    const row: unknown = await this.db('batch_jobs').where({ id: jobId }).first('status', 'total_images', 'processed', 'failed');
    return row ? countsOf(row) : null;
  }

  /** The next `limit` pending items after index `after`, in upload order (keyset paging). */
  async pending(jobId: string, after: number, limit: number): Promise<PendingItem[]> {
    const rows: unknown[] = await this.db('batch_items').where({ job_id: jobId, status: 'pending' }).andWhere('idx', '>', after).orderBy('idx').limit(limit).select('idx', 'name');
    return rows.map((r) => PendingRow.parse(r));
  }

  /**
   * Writes a chunk's outcomes and adds them to the job's counters, atomically (one statement).
   * Items no longer pending are left alone and not counted.
   */
  async commitChunk(jobId: string, outcomes: readonly ItemOutcome[]): Promise<ChunkCommit | null> {
    const input = outcomes.map((o) =>
      o.status === 'done'
        ? { idx: o.idx, status: 'done', digit: o.digit, confidence: o.confidence, top3: o.top3, uncertain: o.uncertain, error_code: null }
        : { idx: o.idx, status: 'error', digit: null, confidence: null, top3: null, uncertain: null, error_code: o.errorCode },
    );
    const result = await this.db.raw<{ rows: unknown[] }>(
      `with input as (
         select * from jsonb_to_recordset(?::jsonb) as t(idx int, status text, digit smallint, confidence double precision, top3 jsonb, uncertain boolean, error_code text)
       ), written as (
         update batch_items b
            set status = i.status, digit = i.digit, confidence = i.confidence, top3 = i.top3, uncertain = i.uncertain, error_code = i.error_code
           from input i
          where b.job_id = ? and b.idx = i.idx and b.status = 'pending'
         returning b.status, b.error_code
       )
       update batch_jobs j
          set processed = j.processed + (select count(*) from written),
              failed = j.failed + (select count(*) from written where status = 'error')
        where j.id = ?
       returning j.status, j.total_images, j.processed, j.failed,
                 (select count(*) from written where status = 'done')::int as newly_done,
                 (select coalesce(jsonb_object_agg(error_code, n), '{}'::jsonb)
                    from (select error_code, count(*)::int as n from written where status = 'error' group by error_code) e) as newly_failed`,
      [JSON.stringify(input), jobId, jobId],
    );
    const row = result.rows[0];
    if (!row) return null;
    const written = WrittenRow.parse(row);
    return { ...countsOf(row), written: { ok: written.newly_done, errors: written.newly_failed } };
  }

  /** The job's owner (the actor its reads are counted for), or null when the job is gone. */
  async owner(jobId: string): Promise<BatchOwner | null> {
    const row: unknown = await this.db('batch_jobs').where({ id: jobId }).first('owner_id', 'owner_kind');
    if (!row) return null;
    const o = OwnerRow.parse(row);
    return { kind: o.owner_kind, id: o.owner_id };
  }

  /** Items in upload order, `limit` after index `after` (keyset paging, for the results files). */
  async results(jobId: string, after: number, limit: number): Promise<BatchItemResult[]> {
    const raw: unknown[] = await this.db('batch_items')
      .where({ job_id: jobId })
      .andWhere('idx', '>', after)
      .orderBy('idx')
      .limit(limit)
      .select('idx', 'name', 'status', 'digit', 'confidence', 'top3', 'uncertain', 'error_code');
    return raw.map((x) => ItemRow.parse(x)).map((r) => ({
      index: r.idx,
      name: r.name,
      // A pending item at this point is a bug upstream; it is reported, not hidden.
      status: r.status === 'done' ? 'done' : 'error',
      digit: r.digit,
      confidence: r.confidence,
      top3: r.top3,
      uncertain: r.uncertain,
      error_code: r.status === 'pending' ? 'internal_error' : r.error_code,
    }));
  }

  /** Counts by digit, by error code, and uncertain answers, from the items (one query). */
  async summary(jobId: string): Promise<BatchSummary> {
    const raw: unknown[] = await this.db('batch_items')
      .where({ job_id: jobId })
      .whereNot({ status: 'pending' })
      .groupBy('digit', 'error_code', 'uncertain')
      .select('digit', 'error_code', 'uncertain', this.db.raw('count(*)::int as n'));
    const rows = raw.map((r) => SummaryRow.parse(r));
    const summary: { by_digit: Record<string, number>; by_error: Record<string, number>; uncertain: number } = { by_digit: {}, by_error: {}, uncertain: 0 };
    for (let d = 0; d <= 9; d++) summary.by_digit[String(d)] = 0;
    for (const r of rows) {
      if (r.error_code !== null) summary.by_error[r.error_code] = (summary.by_error[r.error_code] ?? 0) + r.n;
      else if (r.digit !== null) summary.by_digit[String(r.digit)] = (summary.by_digit[String(r.digit)] ?? 0) + r.n;
      if (r.uncertain === true) summary.uncertain += r.n;
    }
    return summary;
  }

  /** Completed, with its summary and results file; only a running job completes (not a cancelled one). */
  async complete(jobId: string, summary: BatchSummary, resultsPath: string): Promise<boolean> {
    const n = await this.db('batch_jobs')
      .where({ id: jobId, status: 'running' })
      .update({ status: 'completed', summary: JSON.stringify(summary), results_path: resultsPath, finished_at: this.db.fn.now() });
    return n > 0;
  }

  async fail(jobId: string, error: string): Promise<void> {
    await this.db('batch_jobs').where({ id: jobId }).whereIn('status', ['queued', 'running']).update({ status: 'failed', error, finished_at: this.db.fn.now() });
  }
}
