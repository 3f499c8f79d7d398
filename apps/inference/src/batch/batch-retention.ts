import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@inkwell/logger';
import { batchRoot, jobDir } from './batch-files';
import type { BatchStore } from './batch.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
    /** A folder with no job row is an upload still arriving, or one whose clean-up never ran (a crash): deleted once this old. */
    private readonly orphanGraceMs = 6 * 3600 * 1000,
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
    await this.purgeOrphans(now).catch((err: unknown) => this.logger.warn({ err }, 'orphan batch folders not purged; will retry'));
    return purged;
  }

  /**
   * Deletes job folders that no row owns and that nothing has written to for the grace period:
   * the leftovers of an upload whose process died before it could clean up. Newest change wins
   * (the folder, its `in/`, its upload), so an upload still arriving is never taken for one.
   */
  async purgeOrphans(now = new Date()): Promise<number> {
    const root = batchRoot(this.dataDir);
    const names = await readdir(root).catch(() => []);
    const ids = names.filter((n) => UUID.test(n));
    const owned = await this.store.existing(ids);
    let purged = 0;
    for (const id of ids) {
      if (owned.has(id)) continue;
      const dir = jobDir(this.dataDir, id);
      const times = await Promise.all([dir, join(dir, 'in'), join(dir, 'upload.zip')].map((p) => stat(p).then((s) => s.mtimeMs, () => 0)));
      if (now.getTime() - Math.max(...times) < this.orphanGraceMs) continue;
      await rm(dir, { recursive: true, force: true });
      purged++;
    }
    if (purged > 0) this.logger.info({ purged }, 'deleted batch folders that no job owns');
    return purged;
  }
}
