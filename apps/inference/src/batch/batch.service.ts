import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import type { Knex } from 'knex';
import {
  AppError,
  BatchSummary,
  FINISHED_BATCH_STATUSES,
  type AdminBatchJob,
  type BatchApiConfig,
  type BatchCreated,
  type BatchJob,
  type BatchListQuery,
  type Identity,
} from '@inkwell/contracts';
import { currentRequestId, type Logger } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import { jobDir } from './batch-files';
import { receiveBatch, type IntakeLimits } from './batch-intake';
import type { BatchRateLimit } from './batch-rate-limit';
import type { BatchJobRow, BatchStore } from './batch.store';

const recordAudit = auditRecorder('inference');
const DAY_MS = 24 * 3600 * 1000;

export interface BatchServiceOptions {
  readonly dataDir: string;
  readonly limits: IntakeLimits;
  readonly retentionDays: number;
  /** For one line per created job saying where its intake time went. */
  readonly logger?: Logger;
  /** Tells the job's SSE followers (on every replica) that it changed outside a worker: a cancel. */
  readonly announce?: (job: BatchJob) => Promise<void>;
}

/**
 * Who owns a job, and whose rate limit it counts against: a user by id; an API key's jobs belong to
 * the user who created the key (so more keys never mean more jobs a minute, and the user sees what
 * their keys started), with `owner_kind` saying it came through a key. The key from the environment
 * has no user: `key:env`.
 */
export function ownerOf(who: Identity): { readonly id: string; readonly kind: 'user' | 'api_key' } {
  if (who.kind === 'guest' || who.sub === null) throw new AppError('unauthorized', 'Sign in or send an API key to run batches');
  if (who.kind === 'user') return { id: who.sub, kind: 'user' };
  return { id: who.owner_id ?? `key:${who.sub}`, kind: 'api_key' };
}

/** Admins see every job; anyone else only their own. Another's is "not found", never "forbidden". */
const visibleTo = (row: BatchJobRow, who: Identity): boolean => who.role === 'admin' || (who.kind !== 'guest' && who.sub !== null && row.owner_id === ownerOf(who).id);

/** A job as the API shows it: counts, speed and ETA from the row; the summary once completed. */
export function viewOf(row: BatchJobRow, now = Date.now()): BatchJob {
  const finished = FINISHED_BATCH_STATUSES.includes(row.status);
  const summary = BatchSummary.safeParse(row.summary);
  let rate: number | null = null;
  if (row.started_at !== null && row.processed > 0) {
    const seconds = ((row.finished_at?.getTime() ?? now) - row.started_at.getTime()) / 1000;
    rate = seconds > 0 ? Math.round((row.processed / seconds) * 10) / 10 : null;
  }
  const left = row.total_images - row.processed;
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    total_images: row.total_images,
    processed: row.processed,
    failed: row.failed,
    images_per_s: rate,
    eta_s: finished || rate === null || rate === 0 ? null : Math.round((left / rate) * 10) / 10,
    upload_bytes: row.upload_bytes,
    error: row.error,
    summary: summary.success ? summary.data : null,
    results_available: row.status === 'completed' && row.results_path !== null && row.deleted_at === null,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
    expires_at: row.expires_at.toISOString(),
    purged_at: row.deleted_at?.toISOString() ?? null,
  };
}

/** Decides who may start, see and cancel batch jobs; the reading itself is the `batch` worker's. */
export class BatchService {
  constructor(
    private readonly db: Knex,
    private readonly store: BatchStore,
    private readonly rate: BatchRateLimit,
    private readonly opts: BatchServiceOptions,
    /** Wakes the outbox relay after a commit, so the `batch` job leaves at once. */
    private readonly kick: () => void,
  ) {}

  /**
   * Counts the attempt against the caller's per-minute limit, receives the upload into the new
   * job's folder, then writes the job, its items, its `batch.run` job (BullMQ id = the job's id)
   * and the audit event in one transaction. Any refusal deletes the folder: nothing is kept.
   */
  async create(who: Identity, req: Request): Promise<BatchCreated> {
    const owner = ownerOf(who);
    const id = randomUUID();
    await this.rate.take(owner.id, id);
    const dir = jobDir(this.opts.dataDir, id);
    const requestId = currentRequestId() ?? null;
    try {
      const intake = await receiveBatch(req, dir, this.opts.limits);
      const t = performance.now();
      await this.db.transaction(async (trx) => {
        await this.store.insert(trx, { id, ownerId: owner.id, ownerKind: owner.kind, source: intake.source, uploadBytes: intake.uploadBytes, items: intake.items, requestId, expiresAt: new Date(Date.now() + this.opts.retentionDays * DAY_MS) });
        await enqueueJob(trx, 'batch', 'batch.run', { job_id: id, request_id: requestId, ...(intake.source === 'zip' ? { layout: 'pack' as const } : {}) }, { request_id: requestId, actor_id: who.sub }, { jobId: id });
        await recordAudit(trx, { action: 'batch.create', actor: who, target: { type: 'batch_job', id }, details: { source: intake.source, total_images: intake.items.length, upload_bytes: intake.uploadBytes } });
      });
      this.kick();
      this.opts.logger?.info({ job_id: id, total_images: intake.items.length, upload_bytes: intake.uploadBytes, ms: { ...intake.ms, insert: Math.round(performance.now() - t) } }, 'batch job created');
      return { job_id: id, status: 'queued', total_images: intake.items.length };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The row, or 404 when it does not exist or is another caller's. */
  async visible(who: Identity, id: string): Promise<BatchJobRow> {
    const row = await this.store.get(id);
    if (!row || !visibleTo(row, who)) throw new AppError('not_found', 'No such batch job');
    return row;
  }

  async get(who: Identity, id: string): Promise<BatchJob> {
    return viewOf(await this.visible(who, id));
  }

  async list(who: Identity, q: BatchListQuery): Promise<BatchJob[]> {
    return (await this.store.list(ownerOf(who).id, q)).map((r) => viewOf(r));
  }

  /** The results ZIP's path: 409 until the job has completed, 404 once purged. */
  async resultsPath(who: Identity, id: string): Promise<string> {
    const row = await this.visible(who, id);
    if (row.deleted_at !== null) throw new AppError('not_found', 'The results were deleted after the retention period', { purged_at: row.deleted_at.toISOString() });
    if (row.status !== 'completed' || row.results_path === null) throw new AppError('conflict', `The job has not completed: status ${row.status}`, { status: row.status });
    return join(this.opts.dataDir, row.results_path);
  }

  /** Cancels a queued or running job; the worker stops after its current chunk. 409 once finished. */
  async cancel(who: Identity, id: string): Promise<BatchJob> {
    const row = await this.visible(who, id);
    if (FINISHED_BATCH_STATUSES.includes(row.status)) throw new AppError('conflict', `The job has already finished: status ${row.status}`, { status: row.status });
    const cancelled = await this.db.transaction(async (trx) => {
      const changed = await this.store.cancel(trx, id, `cancelled by ${who.email ?? who.sub ?? 'unknown'}`);
      if (changed) await recordAudit(trx, { action: 'batch.cancel', actor: who, target: { type: 'batch_job', id } });
      return changed;
    });
    if (cancelled) this.kick();
    const job = await this.get(who, id);
    // A lost notice only delays a stream's end to its next poll.
    if (cancelled) await this.opts.announce?.(job).catch(() => undefined);
    return job;
  }

  async adminList(q: BatchListQuery): Promise<AdminBatchJob[]> {
    return (await this.store.list(null, q)).map((r) => ({ ...viewOf(r), owner_id: r.owner_id, owner_kind: r.owner_kind }));
  }

  async adminGet(id: string): Promise<AdminBatchJob> {
    const row = await this.store.get(id);
    if (!row) throw new AppError('not_found', 'No such batch job');
    return { ...viewOf(row), owner_id: row.owner_id, owner_kind: row.owner_kind };
  }

  apiConfig(): BatchApiConfig {
    const l = this.opts.limits;
    return {
      batch: {
        max_images: l.maxImages,
        max_upload_bytes: l.maxUploadBytes,
        max_uncompressed_bytes: l.maxUncompressedBytes,
        max_compression_ratio: l.maxRatio,
        max_image_bytes: l.maxImageBytes,
        jobs_per_minute: this.rate.perMinute,
        retention_days: this.opts.retentionDays,
      },
    };
  }
}
