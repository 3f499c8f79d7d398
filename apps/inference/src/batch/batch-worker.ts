import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InferenceEnv } from '@inkwell/config';
import { createRedis, createTypedWorker, type TypedHandlers, type TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import type { Reader } from '../read/reader';
import { batchRunJob, type BatchRunDeps } from './batch-run.job';
import { BatchRunStore } from './batch-run.store';

/** What the worker needs from the running inference service. */
export interface BatchWorkerParts {
  readonly reader: Reader;
  readonly queue: TypedQueue<'batch'>;
  readonly modelReady: () => boolean;
  /** Where the batch's reads are counted for the admin statistics. */
  readonly audit?: BatchRunDeps['audit'];
}

export const batchHandlers = (deps: BatchRunDeps): TypedHandlers<'batch'> => ({
  'batch.run': (payload, ctx) => batchRunJob(deps, payload, ctx),
});

/**
 * The `batch` queue's worker in one inference process: batches scale with inference replicas,
 * and each reads its images through the process's own reader and engine.
 */
export class BatchWorker {
  private worker: Worker | null = null;
  private connection: Redis | null = null;

  constructor(
    private readonly ctx: ServiceContext<InferenceEnv>,
    private readonly parts: BatchWorkerParts,
  ) {}

  async start(): Promise<void> {
    const c = this.ctx.config;
    const deps: BatchRunDeps = {
      store: new BatchRunStore(this.ctx.db),
      reader: this.parts.reader,
      dataDir: c.DATA_DIR,
      redis: this.ctx.redis,
      redisPrefix: c.REDIS_PREFIX,
      modelReady: this.parts.modelReady,
      chunkSize: c.INFERENCE_BATCH_CHUNK_SIZE,
      concurrency: c.INFERENCE_BATCH_CONCURRENCY,
      ...(this.parts.audit ? { audit: this.parts.audit } : {}),
    };
    this.connection = createRedis(c.REDIS_URL, 'worker');
    this.worker = await createTypedWorker(this.parts.queue, batchHandlers(deps), {
      connection: this.connection,
      logger: this.ctx.logger,
      worker: {
        ...(c.INFERENCE_BATCH_LOCK_MS === undefined ? {} : { lockDuration: c.INFERENCE_BATCH_LOCK_MS }),
        ...(c.INFERENCE_BATCH_STALLED_INTERVAL_MS === undefined ? {} : { stalledInterval: c.INFERENCE_BATCH_STALLED_INTERVAL_MS }),
      },
    });
    // The handler marks its row failed on its last attempt; a failure it never saw (its lock lost,
    // an unrecoverable error thrown around it) lands here. Only a job that will not be retried
    // fails its row. A job failed for stalling emits nothing here: BatchSweeper catches that one.
    const store = deps.store;
    this.worker.on('failed', (job, err) => {
      if (!job?.id) return;
      const id = job.id;
      void job
        .getState()
        .then(async (state) => {
          if (state !== 'failed') return;
          await store.fail(id, err.message);
        })
        .catch((e: unknown) => this.ctx.logger.warn({ err: e, job_id: id }, 'could not mark a failed batch job'));
    });
  }

  /** Stops taking jobs; a job in flight stops at its next chunk and resumes from its checkpoint elsewhere. */
  async stop(): Promise<void> {
    // close() alone would wait for a running batch to finish, however long it has left.
    this.worker?.cancelAllJobs('inference is stopping');
    await this.worker?.close();
    this.connection?.disconnect();
    this.worker = null;
    this.connection = null;
  }
}
