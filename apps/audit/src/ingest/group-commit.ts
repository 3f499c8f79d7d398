interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** PostgreSQL data (22) and integrity (23) errors: the data is bad, not the database. */
const isDataError = (err: unknown): boolean => {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return /^2[23]/.test(code);
};

/**
 * Group commit: items added while a write is in flight go out together in the next one (up to
 * `max`), so a worker holding many jobs writes them in a few transactions instead of one each.
 * Each `add` settles when its own item is written. A batch that fails on its data is retried one
 * item at a time, so one bad item fails alone; any other failure (the database is down) fails
 * the whole batch, and the jobs retry later.
 */
export class GroupCommit<T> {
  private pending: Pending<T>[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<unknown>,
    private readonly max: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
      // An item added by code that ran when an earlier one settled arrives after the drain's last
      // look at `pending` but before this: without another drain it would wait for the next add.
      if (this.pending.length > 0) this.kick();
    });
  }

  /** Settles once nothing is waiting or being written. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.max);
      try {
        await this.write(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (err) {
        if (batch.length === 1 || !isDataError(err)) {
          for (const p of batch) p.reject(err);
          continue;
        }
        for (const p of batch) {
          try {
            await this.write([p.item]);
            p.resolve();
          } catch (e) {
            p.reject(e);
          }
        }
      }
    }
  }
}
