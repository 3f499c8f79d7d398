import type { Knex } from 'knex';
import { z } from 'zod';
import { BatchJobStatus, BatchSource, type BatchListQuery } from '@inkwell/contracts';
import type { IntakeItem } from './batch-intake';

/** A `batch_jobs` row as the service works with it (dates still dates). */
export const BatchJobRow = z.object({
  id: z.string(),
  owner_id: z.string(),
  owner_kind: z.enum(['user', 'api_key']),
  status: BatchJobStatus,
  total_images: z.number().int(),
  processed: z.number().int(),
  failed: z.number().int(),
  source: BatchSource,
  // bigint arrives as a string
  upload_bytes: z.coerce.number().int(),
  error: z.string().nullable(),
  summary: z.unknown().nullable(),
  results_path: z.string().nullable(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
  expires_at: z.date(),
  deleted_at: z.date().nullable(),
});
export type BatchJobRow = z.infer<typeof BatchJobRow>;

export interface NewBatchJob {
  readonly id: string;
  readonly ownerId: string;
  readonly ownerKind: 'user' | 'api_key';
  readonly source: 'zip' | 'files';
  readonly uploadBytes: number;
  readonly items: readonly IntakeItem[];
  readonly requestId: string | null;
  readonly expiresAt: Date;
}

/** Item rows per INSERT: 50,000 items go in 50 statements, within the job's transaction. */
const ITEM_CHUNK = 1000;

/** The SQL of the batch API: jobs and their items as intake writes them, and the views on them. */
export class BatchStore {
  constructor(private readonly db: Knex) {}

  /** The job and every item row (`pending`, or `error` with its code when intake refused the item). */
  async insert(trx: Knex, j: NewBatchJob): Promise<BatchJobRow> {
    const refused = j.items.filter((i) => i.error !== null).length;
    const [row] = (await trx('batch_jobs')
      .insert({
        id: j.id,
        owner_id: j.ownerId,
        owner_kind: j.ownerKind,
        status: 'queued',
        total_images: j.items.length,
        // Items refused at intake are done already: they are errors the worker need not read.
        processed: refused,
        failed: refused,
        source: j.source,
        upload_bytes: j.uploadBytes,
        request_id: j.requestId,
        expires_at: j.expiresAt,
      })
      .returning('*')) as unknown[];
    for (let i = 0; i < j.items.length; i += ITEM_CHUNK) {
      const chunk = j.items.slice(i, i + ITEM_CHUNK);
      await trx('batch_items').insert(chunk.map((it) => ({ job_id: j.id, idx: it.idx, name: it.name, status: it.error === null ? 'pending' : 'error', error_code: it.error })));
    }
    return BatchJobRow.parse(row);
  }

  async get(id: string, trx: Knex = this.db): Promise<BatchJobRow | null> {
    const row: unknown = await trx('batch_jobs').where({ id }).first();
    return row ? BatchJobRow.parse(row) : null;
  }

  /** Newest first; `ownerId` null: everyone's. */
  async list(ownerId: string | null, q: BatchListQuery): Promise<BatchJobRow[]> {
    const query = this.db('batch_jobs').orderBy('created_at', 'desc').orderBy('id').limit(q.limit);
    if (ownerId !== null) void query.where({ owner_id: ownerId });
    if (q.status) void query.where({ status: q.status });
    const rows: unknown[] = await query;
    return rows.map((r) => BatchJobRow.parse(r));
  }

  /** `cancelled` if still queued or running; false when it had already finished. */
  async cancel(trx: Knex, id: string, reason: string): Promise<boolean> {
    const n = await trx('batch_jobs').where({ id }).whereIn('status', ['queued', 'running']).update({ status: 'cancelled', error: reason, finished_at: trx.fn.now() });
    return n > 0;
  }

  /** Finished jobs whose retention period has passed and whose files are still there. */
  async expired(now: Date, limit = 100): Promise<BatchJobRow[]> {
    const rows: unknown[] = await this.db('batch_jobs').whereNull('deleted_at').where('expires_at', '<=', now).whereIn('status', ['completed', 'failed', 'cancelled']).orderBy('expires_at').limit(limit);
    return rows.map((r) => BatchJobRow.parse(r));
  }

  /** Which of `ids` have a job row (deleted rows included: they never are), for the orphan-folder sweep. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: unknown[] = await this.db('batch_jobs').whereIn('id', ids).select('id');
    return new Set(rows.map((r) => z.object({ id: z.string() }).parse(r).id));
  }

  /**
   * Jobs still `queued` or `running` that were created before `before` and whose `batch.run` job
   * has left the outbox (a row not yet delivered is a job on its way, not a lost one): what the
   * sweeper checks against the queue.
   */
  async unfinished(before: Date, limit = 500): Promise<string[]> {
    const rows: unknown[] = await this.db('batch_jobs as j')
      .whereIn('j.status', ['queued', 'running'])
      .where('j.created_at', '<', before)
      .whereNotExists(this.db('outbox as o').whereNull('o.sent_at').whereRaw("o.payload->'options'->>'jobId' = j.id::text"))
      .orderBy('j.created_at')
      .limit(limit)
      .select('j.id');
    return rows.map((r) => z.object({ id: z.string() }).parse(r).id);
  }

  /** `failed` with `error`, if still queued or running; false when it had finished meanwhile. */
  async failUnfinished(id: string, error: string): Promise<boolean> {
    const n = await this.db('batch_jobs').where({ id }).whereIn('status', ['queued', 'running']).update({ status: 'failed', error, finished_at: this.db.fn.now() });
    return n > 0;
  }

  /** Records that a job's files are gone; the row and its items stay as the record. */
  async markPurged(id: string): Promise<void> {
    await this.db('batch_jobs').where({ id }).whereNull('deleted_at').update({ deleted_at: this.db.fn.now(), results_path: null });
  }
}
