import { rm } from 'node:fs/promises';
import type { Logger } from '@inkwell/logger';
import { jobDir } from './batch-files';
import type { BatchStore } from './batch.store';

/**
 * Deletes finished batch jobs' files (uploaded images, results ZIP) once their retention period
 * has passed, at start and then every `intervalMs`. The job rows and item rows stay as the record,
 * marked purged. Every replica runs it; deleting a folder twice is harmless.
 */
export class BatchRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly store: BatchStore,
    private readonly dataDir: string,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = (): void => {
      this.running = this.running.then(() => this.purge());
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Purges every expired job's files; the count purged. Failures are logged and retried next time. */
  async purge(now = new Date()): Promise<number> {
    let purged = 0;
    try {
      for (let batch = await this.store.expired(now); batch.length > 0; batch = await this.store.expired(now)) {
        for (const job of batch) {
          await rm(jobDir(this.dataDir, job.id), { recursive: true, force: true });
          await this.store.markPurged(job.id);
          purged++;
        }
      }
      if (purged > 0) this.logger.info({ purged }, 'purged batch jobs past their retention');
    } catch (err) {
      this.logger.warn({ err, purged }, 'batch jobs not purged; will retry');
    }
    return purged;
  }
}
