import type { Router } from 'express';
import type { InferenceEnv } from '@inkwell/config';
import type { Logger } from '@inkwell/logger';
import { TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { BatchNoticeHub, publishBatchNotice } from './batch-events';
import { BatchRateLimit } from './batch-rate-limit';
import { BatchRetention } from './batch-retention';
import { batchRoutes } from './batch.routes';
import { BatchService } from './batch.service';
import { BatchStore } from './batch.store';
import { BatchSweeper } from './batch-sweeper';

/**
 * The batch API's parts in one inference process: the store, the service behind the routes, the
 * `batch` queue the outbox relay delivers `batch.run` jobs to, and the retention job. The worker
 * that runs the jobs is wired beside it (batch-run.job.ts).
 */
export class BatchApi {
  readonly store: BatchStore;
  readonly service: BatchService;
  readonly queue: TypedQueue<'batch'>;
  readonly retention: BatchRetention;
  /** The progress notices SSE streams follow: one Redis subscriber for the process. */
  readonly notices: BatchNoticeHub;
  /** Fails rows whose queue job is gone or failed without running (a stall), once a minute. */
  readonly sweeper: BatchSweeper;
  private readonly logger: Logger;

  constructor(ctx: ServiceContext<InferenceEnv>, kick: () => void) {
    const c = ctx.config;
    this.logger = ctx.logger;
    this.store = new BatchStore(ctx.db);
    this.queue = new TypedQueue('batch', ctx.redis, c.REDIS_PREFIX);
    const rate = new BatchRateLimit(ctx.redis, c.REDIS_PREFIX, c.INFERENCE_BATCH_JOBS_PER_MINUTE);
    this.service = new BatchService(
      ctx.db,
      this.store,
      rate,
      {
        dataDir: c.DATA_DIR,
        retentionDays: c.INFERENCE_BATCH_RETENTION_DAYS,
        logger: ctx.logger,
        announce: (job) => publishBatchNotice(ctx.redis, c.REDIS_PREFIX, { job_id: job.id, status: job.status, processed: job.processed, failed: job.failed, total: job.total_images }),
        limits: {
          maxImages: c.INFERENCE_BATCH_MAX_IMAGES,
          maxUploadBytes: c.INFERENCE_BATCH_MAX_UPLOAD_BYTES,
          maxUncompressedBytes: c.INFERENCE_BATCH_MAX_UNCOMPRESSED_BYTES,
          maxRatio: c.INFERENCE_BATCH_MAX_RATIO,
          maxImageBytes: c.INFERENCE_MAX_UPLOAD_BYTES,
        },
      },
      kick,
    );
    this.notices = new BatchNoticeHub(ctx.redis, c.REDIS_PREFIX, ctx.logger);
    this.sweeper = new BatchSweeper(this.store, this.queue, ctx.logger, {
      intervalMs: 60_000,
      graceMs: 2 * 60_000,
      announce: async (jobId) => {
        const row = await this.store.get(jobId);
        if (row) await publishBatchNotice(ctx.redis, c.REDIS_PREFIX, { job_id: row.id, status: row.status, processed: row.processed, failed: row.failed, total: row.total_images });
      },
    });
    this.retention = new BatchRetention(this.store, c.DATA_DIR, ctx.logger, c.INFERENCE_BATCH_PURGE_INTERVAL_MS);
  }

  routes(): Router {
    return batchRoutes(this.service, { logger: this.logger, follow: (jobId, onNotice) => this.notices.follow(jobId, onNotice) });
  }

  start(): void {
    this.retention.start();
    this.sweeper.start();
  }

  async stop(): Promise<void> {
    await this.retention.stop();
    await this.sweeper.stop();
    this.notices.close();
    await this.queue.close();
  }
}
