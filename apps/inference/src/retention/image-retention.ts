import { createHash } from 'node:crypto';
import type { Logger } from '@inkwell/logger';
import type { RetainedImage, RetainedImagesStore } from './retained-images.store';

export type Upload = Omit<RetainedImage, 'sha256'>;

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps uploads for `days` days when an operator turns retention on (it is off by default: no image
 * is stored). Writes happen after the answer, off the request path, and at most `maxPending` at
 * once: under a burst the extra copies are skipped (and logged) rather than slowing reads or
 * holding megabytes of uploads in memory. Expired images are purged at start and then hourly; with
 * retention off, every image kept earlier is purged at start.
 */
export class ImageRetention {
  private skipped = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Copies being written; its size is what `maxPending` bounds. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly store: RetainedImagesStore,
    private readonly logger: Logger,
    readonly days: number,
    private readonly maxPending = 32,
  ) {}

  get enabled(): boolean {
    return this.days > 0;
  }

  keep(upload: Upload): void {
    if (!this.enabled) return;
    if (this.writes.size >= this.maxPending) {
      if (this.skipped++ % 100 === 0) this.logger.warn({ skipped: this.skipped }, 'image retention is behind; skipping copies of uploads');
      return;
    }
    const write = this.store
      .add({ ...upload, sha256: createHash('sha256').update(upload.image).digest('hex') })
      .catch((err: unknown) => this.logger.warn({ err, request_id: upload.requestId }, 'uploaded image not retained'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  start(): void {
    // With retention off (0 days) this deletes every image kept while it was on: turning it off
    // must not leave uploads stored for ever.
    void this.purge();
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  /** Waits for the copies still being written. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.writes);
  }

  async purge(): Promise<number> {
    try {
      const deleted = await this.store.purgeOlderThan(this.days);
      if (deleted > 0) this.logger.info({ deleted, days: this.days }, 'purged retained images past their retention');
      return deleted;
    } catch (err) {
      this.logger.warn({ err }, 'retained images not purged; will retry');
      return 0;
    }
  }
}
