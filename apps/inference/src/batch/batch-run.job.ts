import { setMaxListeners } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DelayedError } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError, type BatchRunPayload, type BatchRunResult } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { JobContext } from '@inkwell/queue';
import { type Reader, readErrorCode, topClasses } from '../read/reader';
import { publishBatchNotice } from './batch-events';
import { itemPath, jobDir, resultsRelativePath } from './batch-files';
import type { BatchRunStore, ItemOutcome, JobCounts, PendingItem } from './batch-run.store';
import { writeResultsZip } from './results-writer';

export interface BatchRunDeps {
  readonly store: BatchRunStore;
  readonly reader: Reader;
  readonly dataDir: string;
  /** For progress notices (SSE followers on any inference process). */
  readonly redis: Redis;
  readonly redisPrefix: string;
  /** True once a model set is loaded: a job taken right after start-up waits for it. */
  readonly modelReady: () => boolean;
  /** Items per checkpoint: one statement writes a chunk's results and the job's counters. */
  readonly chunkSize: number;
  /** Items of a chunk in flight at once: enough to fill the engine's batches, few enough to leave room for single reads. */
  readonly concurrency: number;
  /** How long a job waits for a model before it gives the attempt up. */
  readonly modelWaitMs?: number;
}

/**
 * Codes that say nothing about the image: no model loaded, or the engine too busy to answer in
 * time. An item failing so is read again (its chunk is retried) rather than recorded; only after
 * a few tries is the code recorded, as a single upload would have got it.
 */
const TRANSIENT = new Set(['service_unavailable', 'timeout']);
const CHUNK_TRIES = 3;

class TransientChunkError extends Error {}

/** Runs `fn` over `items`, at most `limit` at once, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) out[i] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

async function waitForModel(ready: () => boolean, ms: number, signal: AbortSignal | undefined): Promise<void> {
  for (const start = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 100))) {
    if (signal?.aborted) throw new Error('worker stopping before a model was loaded; the job resumes elsewhere');
    if (Date.now() - start > ms) throw new AppError('service_unavailable', `No model loaded within ${ms} ms`);
  }
}

/** One item through the same reader as a single upload; its failure becomes its error code. */
async function readItem(deps: BatchRunDeps, jobId: string, item: PendingItem, signal: AbortSignal | undefined, lastTry: boolean): Promise<ItemOutcome> {
  const path = itemPath(deps.dataDir, jobId, item.idx);
  try {
    // The single upload's form parser refuses a file over the limit before reading it; so does this.
    const { size } = await stat(path);
    if (size > deps.reader.maxBytes) throw new AppError('too_large', `File exceeds ${deps.reader.maxBytes} bytes limit.`);
    const buf = await readFile(path);
    const r = await deps.reader.read(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), {}, signal);
    return { idx: item.idx, status: 'done', digit: r.digit, confidence: r.confidence, top3: topClasses(r.probs, 3), uncertain: r.uncertain };
  } catch (err) {
    if (signal?.aborted) throw err; // stopping: nothing of this chunk is recorded
    const code = readErrorCode(err);
    if (TRANSIENT.has(code) && !lastTry) throw new TransientChunkError(code);
    return { idx: item.idx, status: 'error', errorCode: code };
  }
}

/**
 * `batch` / `batch.run`: reads a job's pending items a chunk at a time through the reader, commits
 * each chunk (results and counters together), reports progress, checks for a cancel between
 * chunks, and once nothing is pending writes results.zip and completes the job. A process killed
 * midway loses at most the chunk in flight: the job comes back (stalled) and resumes at the first
 * pending item; the chunk commit skips items already written, so none is counted twice.
 */
export async function batchRunJob(deps: BatchRunDeps, payload: BatchRunPayload, ctx: JobContext<'batch', 'batch.run'>): Promise<BatchRunResult> {
  const jobId = payload.job_id;
  const { logger, signal } = ctx;
  // Each read of a chunk in flight listens on the job's signal; that many listeners is by design.
  if (signal) setMaxListeners(deps.concurrency + 10, signal);
  try {
    return await run(deps, jobId, ctx, logger, signal);
  } catch (err) {
    if (signal?.aborted) {
      // The process is stopping (a deploy, a scale-down): the job goes back to the queue at once,
      // without using an attempt, and another process resumes it from its last checkpoint.
      if (ctx.job.token !== undefined) await ctx.job.moveToDelayed(Date.now(), ctx.job.token);
      logger.info({ job_id: jobId }, 'batch job handed back: this process is stopping');
      throw new DelayedError();
    }
    const attempts = ctx.job.opts.attempts ?? 1;
    if (ctx.job.attemptsMade + 1 >= attempts) {
      // The last attempt: the row says so, or it would show `running` forever.
      await deps.store.fail(jobId, err instanceof Error ? err.message : String(err)).catch((e: unknown) => logger.error({ err: e, job_id: jobId }, 'could not mark the batch job failed'));
      await notify(deps, jobId, logger);
    }
    throw err;
  }
}

async function run(deps: BatchRunDeps, jobId: string, ctx: JobContext<'batch', 'batch.run'>, logger: Logger, signal: AbortSignal | undefined): Promise<BatchRunResult> {
  const started = await deps.store.start(jobId);
  if (!started) {
    logger.info({ job_id: jobId }, 'batch job gone or already finished; nothing to do');
    return undefined;
  }
  logger.info({ job_id: jobId, total: started.total, processed: started.processed }, started.processed > 0 ? 'batch job resumed' : 'batch job started');
  await announce(deps, ctx, jobId, started, logger);

  let after = -1;
  for (let tries = 0; ; ) {
    await waitForModel(deps.modelReady, deps.modelWaitMs ?? 300_000, signal);
    const status = await deps.store.status(jobId);
    if (status !== 'running') {
      logger.info({ job_id: jobId, status }, 'batch job stopped between chunks');
      return status === 'cancelled' ? { job_id: jobId, status: 'cancelled' } : undefined;
    }
    const items = await deps.store.pending(jobId, after, deps.chunkSize);
    if (items.length === 0) break;
    let outcomes: ItemOutcome[];
    try {
      outcomes = await mapLimit(items, deps.concurrency, (item) => readItem(deps, jobId, item, signal, tries + 1 >= CHUNK_TRIES));
    } catch (err) {
      if (!(err instanceof TransientChunkError)) throw err;
      tries++;
      logger.warn({ job_id: jobId, code: err.message, try: tries }, 'batch chunk hit a transient error; reading it again');
      continue;
    }
    if (signal?.aborted) throw new Error('worker stopping; the job resumes from its last checkpoint');
    tries = 0;
    const counts = await deps.store.commitChunk(jobId, outcomes);
    if (!counts) return undefined;
    after = items[items.length - 1]?.idx ?? after;
    await announce(deps, ctx, jobId, counts, logger);
  }

  const summary = await deps.store.summary(jobId);
  const total = started.total;
  await writeResultsZip(deps.store, { id: jobId, total }, summary, join(deps.dataDir, resultsRelativePath(jobId)));
  if (!(await deps.store.complete(jobId, summary, resultsRelativePath(jobId)))) {
    logger.info({ job_id: jobId, dir: jobDir(deps.dataDir, jobId) }, 'batch job was cancelled while its results were written');
    return { job_id: jobId, status: 'cancelled' };
  }
  await notify(deps, jobId, logger);
  return { job_id: jobId, status: 'completed' };
}

/** BullMQ progress (bull-board, QueueEvents) and a notice for SSE followers. */
async function announce(deps: BatchRunDeps, ctx: JobContext<'batch', 'batch.run'>, jobId: string, counts: JobCounts, logger: Logger): Promise<void> {
  await ctx.progress({ processed: counts.processed, failed: counts.failed, total: counts.total });
  await publish(deps, jobId, counts, logger);
}

async function notify(deps: BatchRunDeps, jobId: string, logger: Logger): Promise<void> {
  const counts = await deps.store.counts(jobId).catch(() => null);
  if (counts) await publish(deps, jobId, counts, logger);
}

async function publish(deps: BatchRunDeps, jobId: string, counts: JobCounts, logger: Logger): Promise<void> {
  // A lost notice costs an SSE follower one refresh, never the job.
  await publishBatchNotice(deps.redis, deps.redisPrefix, { job_id: jobId, status: counts.status, processed: counts.processed, failed: counts.failed, total: counts.total }).catch((err: unknown) =>
    logger.warn({ err, job_id: jobId }, 'could not publish a batch notice'),
  );
}
