import { setMaxListeners } from 'node:events';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DelayedError } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError, type BatchRunPayload, type BatchRunResult } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { JobContext } from '@inkwell/queue';
import type { PredictionAudit } from '../audit/prediction-audit';
import { type Reader, readErrorCode, topClasses } from '../read/reader';
import { publishBatchNotice } from './batch-events';
import { PhaseClock } from './phase-clock';
import { itemPath, itemsDir, jobDir, resultsRelativePath } from './batch-files';
import { PackReader } from './item-pack';
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
  /** Items of a chunk in flight at once: enough to keep every engine worker's runs full (single reads board ahead of them, dynamic-batcher.ts). */
  readonly concurrency: number;
  /** How long a job waits for a model before it gives the attempt up. */
  readonly modelWaitMs?: number;
  /** How long an item may wait in the engine for others to share its run (default BATCH_PATIENCE_US). */
  readonly patienceUs?: number;
  /** Counts each committed chunk's new reads for the job's owner (the admin statistics' batch images). */
  readonly audit?: Pick<PredictionAudit, 'recordBatch'>;
}

/**
 * A batch's images wait up to this long in the engine for company. Without it each image left as
 * soon as a worker was free: 3.7 rows per run in the 50,000-image bench, where the five models'
 * per-run overhead made the model runs most of the job's CPU. Single reads keep their own (zero)
 * wait, and a run leaves as soon as one request in it has waited its own patience out.
 */
export const BATCH_PATIENCE_US = 20_000;

/**
 * Codes that say nothing about the image: no model loaded, or the engine too busy to answer in
 * time. An item failing so is read again (its chunk is retried) rather than recorded; only after
 * a few tries is the code recorded, as a single upload would have got it.
 */
const TRANSIENT = new Set(['service_unavailable', 'timeout']);
const CHUNK_TRIES = 3;

class TransientChunkError extends Error {}

/**
 * Runs `fn` over `items`, at most `limit` at once, keeping the order. Once `stop` is aborted no lane
 * takes another item; the first failure is thrown only after every lane has settled, so nothing
 * of this run is still reading when the caller retries.
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, stop?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && stop?.aborted !== true) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) out[i] = await fn(item);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  for (const l of lanes) if (l.status === 'rejected') throw l.reason;
  if (stop?.aborted === true) throw stop.reason;
  return out;
}

async function waitForModel(ready: () => boolean, ms: number, signal: AbortSignal | undefined): Promise<void> {
  for (const start = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 100))) {
    if (signal?.aborted) throw new Error('worker stopping before a model was loaded; the job resumes elsewhere');
    if (Date.now() - start > ms) throw new AppError('service_unavailable', `No model loaded within ${ms} ms`);
  }
}

/**
 * An item's bytes, read synchronously: the files are small (intake kept each within one image's
 * limit) and were just written, so four syscalls cost microseconds, whereas the async calls took
 * ~15 ms per item in a 50,000-image bench, queued in the thread pool behind the image decodes.
 * A file over the limit is refused from its size before it is read, as the single upload's form
 * parser refuses one.
 */
function readItemFile(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) throw new AppError('too_large', `File exceeds ${maxBytes} bytes limit.`);
    const buf = new Uint8Array(size);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Where a job's item bytes come from: its pack (a ZIP upload), or one file per item (files uploads, jobs stored before packs). */
interface ItemSource {
  read(idx: number, maxBytes: number): Uint8Array;
  close(): void;
}

function openItems(dataDir: string, jobId: string, layout: BatchRunPayload['layout']): ItemSource {
  const pack = PackReader.open(itemsDir(dataDir, jobId));
  // The job's own failure, not one ENOENT per item.
  if (!pack && layout === 'pack') throw new Error(`batch job ${jobId} was stored as an item pack, and its pack is missing`);
  return pack ?? { read: (idx, maxBytes) => readItemFile(itemPath(dataDir, jobId, idx), maxBytes), close: () => undefined };
}

/**
 * One item through the same reader as a single upload; its failure becomes its error code. A
 * transient failure (not on the last try) aborts `attempt`: the chunk's other reads stop at once
 * rather than read on for an attempt that is thrown away.
 */
async function readItem(deps: BatchRunDeps, source: ItemSource, item: PendingItem, attempt: AbortController, lastTry: boolean, clock: PhaseClock): Promise<ItemOutcome> {
  const signal = attempt.signal;
  try {
    const t0 = performance.now();
    const bytes = source.read(item.idx, deps.reader.maxBytes);
    const t1 = performance.now();
    clock.add('item_file', t1 - t0);
    const r = await deps.reader.read(bytes, {}, signal, deps.patienceUs ?? BATCH_PATIENCE_US);
    clock.add('item_read', performance.now() - t1);
    return { idx: item.idx, status: 'done', digit: r.digit, confidence: r.confidence, top3: topClasses(r.probs, 3), uncertain: r.uncertain };
  } catch (err) {
    if (signal.aborted) throw err; // stopping, or another read's transient failure: this one is not recorded
    const code = readErrorCode(err);
    if (TRANSIENT.has(code) && !lastTry) {
      const transient = new TransientChunkError(code);
      attempt.abort(transient);
      throw transient;
    }
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
    return await run(deps, payload, ctx, logger, signal);
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

async function run(deps: BatchRunDeps, payload: BatchRunPayload, ctx: JobContext<'batch', 'batch.run'>, logger: Logger, signal: AbortSignal | undefined): Promise<BatchRunResult> {
  const jobId = payload.job_id;
  // Chunk-level phases follow one another (their sum is the job's time); `item_*` are summed over
  // the items in flight at once, so they show the split inside `read`, not wall time.
  const clock = new PhaseClock();
  const started = await clock.time('db', () => deps.store.start(jobId));
  if (!started) {
    logger.info({ job_id: jobId }, 'batch job gone or already finished; nothing to do');
    return undefined;
  }
  logger.info({ job_id: jobId, total: started.total, processed: started.processed }, started.processed > 0 ? 'batch job resumed' : 'batch job started');
  await clock.time('progress', () => announce(deps, ctx, jobId, started, logger));
  const owner = deps.audit ? await deps.store.owner(jobId) : null;

  const source = openItems(deps.dataDir, jobId, payload.layout);
  let after = -1;
  let read = 0;
  // A chunk's commit (and its progress notice) runs while the next chunk is read: the reading
  // never waits on the database. At most one commit is in flight; it is awaited before the next
  // starts, before the job stops and before the results are written, so nothing is left behind.
  let committing: Promise<JobCounts | null> | null = null;
  // The current chunk's outcomes so far, across its attempts (cleared once it is committed).
  const chunkRead = new Map<number, ItemOutcome>();
  const settle = async (): Promise<boolean> => {
    if (!committing) return true;
    const counts = await clock.time('commit_wait', () => committing ?? Promise.resolve(null));
    committing = null;
    return counts !== null;
  };
  try {
    for (let tries = 0; ; ) {
      await clock.time('wait_model', () => waitForModel(deps.modelReady, deps.modelWaitMs ?? 300_000, signal));
      const [status, items] = await clock.time('db', () => Promise.all([deps.store.status(jobId), deps.store.pending(jobId, after, deps.chunkSize)]));
      if (status !== 'running') {
        await settle();
        logger.info({ job_id: jobId, status }, 'batch job stopped between chunks');
        return status === 'cancelled' ? { job_id: jobId, status: 'cancelled' } : undefined;
      }
      if (items.length === 0) break;
      // One attempt at the chunk: stopped by the process stopping or by one transient failure.
      // What it read before stopping is kept; the next attempt reads only the rest.
      const attempt = new AbortController();
      setMaxListeners(deps.concurrency + 10, attempt.signal);
      const stopping = (): void => attempt.abort(signal?.reason);
      if (signal?.aborted) stopping();
      else signal?.addEventListener('abort', stopping, { once: true });
      const lastTry = tries + 1 >= CHUNK_TRIES;
      try {
        const todo = items.filter((i) => !chunkRead.has(i.idx));
        await clock.time('read', () => mapLimit(todo, deps.concurrency, async (item) => void chunkRead.set(item.idx, await readItem(deps, source, item, attempt, lastTry, clock)), attempt.signal));
      } catch (err) {
        const reason: unknown = attempt.signal.reason;
        if (signal?.aborted || !(reason instanceof TransientChunkError)) throw err;
        tries++;
        logger.warn({ job_id: jobId, code: reason.message, try: tries, left: items.length - chunkRead.size }, 'batch chunk hit a transient error; reading the rest again');
        continue;
      } finally {
        signal?.removeEventListener('abort', stopping);
      }
      const outcomes = items.flatMap((i) => chunkRead.get(i.idx) ?? []);
      chunkRead.clear();
      if (signal?.aborted) throw new Error('worker stopping; the job resumes from its last checkpoint');
      tries = 0;
      if (!(await settle())) return undefined;
      read += outcomes.length;
      after = items[items.length - 1]?.idx ?? after;
      const done = outcomes;
      committing = clock.time('db_commit (overlapped)', async () => {
        const counts = await deps.store.commitChunk(jobId, done);
        if (counts && owner) deps.audit?.recordBatch(owner, counts.written.ok, counts.written.errors);
        if (counts) await announce(deps, ctx, jobId, counts, logger);
        return counts;
      });
      // Awaited by settle(); until then a failure must not count as unhandled.
      committing.catch(() => undefined);
    }
    if (!(await settle())) return undefined;
  } finally {
    // Leaving early (an error, the process stopping): the last commit still lands before the job is handed back.
    await committing?.catch(() => undefined);
    source.close();
  }

  const summary = await clock.time('db', () => deps.store.summary(jobId));
  const total = started.total;
  await clock.time('results', () => writeResultsZip(deps.store, { id: jobId, total }, summary, join(deps.dataDir, resultsRelativePath(jobId))));
  const completed = await clock.time('db', () => deps.store.complete(jobId, summary, resultsRelativePath(jobId)));
  const ms = clock.snapshot();
  logger.info({ job_id: jobId, total, read, images_per_s: ms.total ? Math.round((read / ms.total) * 1000) : null, ms }, 'batch job run finished');
  if (!completed) {
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
