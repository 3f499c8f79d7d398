import type { Logger } from '@inkwell/logger';
import type { TypedQueue } from '@inkwell/queue';
import type { BatchStore } from './batch.store';

/** BullMQ states in which a job will still run (or is running): a row in one of these is alive. */
const ALIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface BatchSweeperOptions {
  /** How often to look. */
  readonly intervalMs: number;
  /** A job younger than this is left alone: its queue job may be a moment from being written. */
  readonly graceMs: number;
  /** Told of each job marked failed (SSE followers). */
  readonly announce?: (jobId: string) => Promise<void>;
}

/**
 * Fails job rows that nothing will ever finish: `queued` or `running` while their `batch.run` job
 * is gone from the queue (removed, lost with a Redis that lost its data) or failed there without
 * the handler running (BullMQ fails a job that stalled too often in its own script, and the
 * worker emits no `failed` event for it). Without this such a row shows `running` forever. Every
 * replica runs it; marking a row failed twice is harmless (the update needs queued/running).
 */
export class BatchSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly store: BatchStore,
    private readonly queue: TypedQueue<'batch'>,
    private readonly logger: Logger,
    private readonly opts: BatchSweeperOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sweep());
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Marks every dead job failed; the count marked. Failures are logged and retried next time. */
  async sweep(now = new Date()): Promise<number> {
    let marked = 0;
    try {
      for (const id of await this.store.unfinished(new Date(now.getTime() - this.opts.graceMs))) {
        const job = await this.queue.queue.getJob(id);
        const state = job ? await job.getState() : 'missing';
        if (ALIVE.has(state)) continue;
        const why = state === 'failed' ? `the batch.run job failed: ${job?.failedReason ?? 'no reason given'}` : `the batch.run job is ${state === 'missing' ? 'gone from the queue' : state}`;
        if (!(await this.store.failUnfinished(id, why))) continue;
        marked++;
        this.logger.warn({ job_id: id, state }, 'batch job marked failed: nothing will run it');
        await this.opts.announce?.(id).catch(() => undefined);
      }
    } catch (err) {
      this.logger.warn({ err, marked }, 'batch sweep stopped; will retry');
    }
    return marked;
  }
}
