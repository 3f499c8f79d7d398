/** Runs a batch: rows x 784 pixels in, rows x 10 probabilities out, plus what answered. */
export interface BatchExecutor<T> {
  /** How many batches could start now. */
  readonly idle: number;
  run(pixels: Float32Array, rows: number): Promise<{ probs: Float32Array; tag: T }>;
  /** A failure that was not the batch's doing (the worker thread died): its requests run once more. */
  retryable?(err: unknown): boolean;
}

export interface BatcherOptions {
  /** Most rows in one run; a single request larger than this still runs, alone. */
  readonly maxRows: number;
  /** How long the oldest queued request may wait for company while a worker is free. */
  readonly maxWaitUs: number;
  readonly onBatch?: (rows: number, requests: number) => void;
}

interface Pending<T> {
  readonly pixels: Float32Array;
  readonly rows: number;
  readonly queuedAt: bigint;
  /** How long this request may wait for company while a worker is free (see `infer`). */
  readonly patienceUs: number;
  readonly resolve: (r: { probs: Float32Array; tag: T }) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
  retried: boolean;
}

/**
 * Triton-style dynamic batching: requests queue here and leave together in one run. A batch
 * starts when a worker is free and either the queue holds `maxRows` rows or its oldest request
 * has waited `maxWaitUs`. While every worker is busy, arrivals accumulate, so batches grow with
 * load instead of runs queueing one by one. Node's timers have 1 ms resolution: waits under 1 ms
 * become "the next event-loop turn", which still gathers everything that arrived meanwhile.
 */
export class DynamicBatcher<T> {
  private readonly queue: Pending<T>[] = [];
  private queuedRows = 0;
  private pumpScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;

  constructor(
    private readonly executor: BatchExecutor<T>,
    private readonly opts: BatcherOptions,
  ) {}

  /** Requests waiting for a worker. */
  get depth(): number {
    return this.queue.length;
  }

  /**
   * Classifies `rows` images; rejects with the signal's reason if it aborts while still queued.
   * `patienceUs` (default `maxWaitUs`) lets throughput work (a batch job's images) wait longer for
   * company, so its runs fill up; a batch leaves as soon as one request in it has waited its
   * patience out, so a single read queued behind patient work is not held back by it.
   */
  infer(pixels: Float32Array, rows: number, signal: AbortSignal, patienceUs = this.opts.maxWaitUs): Promise<{ probs: Float32Array; tag: T }> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const item: Pending<T> = {
        pixels,
        rows,
        queuedAt: process.hrtime.bigint(),
        patienceUs,
        resolve,
        reject,
        signal,
        retried: false,
        onAbort: () => {
          const i = this.queue.indexOf(item);
          if (i < 0) return; // already running: the caller's own deadline answers for it
          this.queue.splice(i, 1);
          this.queuedRows -= item.rows;
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', item.onAbort, { once: true });
      this.queue.push(item);
      this.queuedRows += rows;
      this.schedule();
    });
  }

  /** Called when a worker frees up. */
  schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.executor.idle > 0) {
      const now = process.hrtime.bigint();
      let leftUs = Infinity;
      for (const item of this.queue) leftUs = Math.min(leftUs, item.patienceUs - Number(now - item.queuedAt) / 1000);
      if (this.queuedRows < this.opts.maxRows && leftUs > 0) {
        // A request less patient than the one the timer was set for moves it earlier.
        const due = Date.now() + Math.max(1, Math.ceil(leftUs / 1000));
        if (this.timer && due < this.timerDue) {
          clearTimeout(this.timer);
          this.timer = undefined;
        }
        if (!this.timer) {
          this.timerDue = due;
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pump();
          }, due - Date.now());
        }
        return;
      }
      this.dispatch();
    }
  }

  private dispatch(): void {
    // Requests that would not wait for company (single reads) board first, then the rest in
    // arrival order: a batch job keeps two full runs of its rows queued or running, and a single
    // read queued behind them would otherwise wait for both.
    const impatient = this.queue.filter((i) => i.patienceUs <= this.opts.maxWaitUs);
    const order = impatient.length > 0 && impatient.length < this.queue.length ? [...impatient, ...this.queue.filter((i) => i.patienceUs > this.opts.maxWaitUs)] : this.queue;
    const batch: Pending<T>[] = [];
    let rows = 0;
    for (const item of order) {
      if (batch.length > 0 && rows + item.rows > this.opts.maxRows) break;
      batch.push(item);
      rows += item.rows;
    }
    if (order === this.queue) this.queue.splice(0, batch.length);
    else {
      const taken = new Set(batch);
      const left = this.queue.filter((i) => !taken.has(i));
      this.queue.splice(0, this.queue.length, ...left);
    }
    this.queuedRows -= rows;
    const pixels = new Float32Array(rows * 784);
    let offset = 0;
    for (const item of batch) {
      item.signal.removeEventListener('abort', item.onAbort);
      pixels.set(item.pixels, offset);
      offset += item.pixels.length;
    }
    this.opts.onBatch?.(rows, batch.length);
    void this.executor.run(pixels, rows).then(
      ({ probs, tag }) => {
        let row = 0;
        for (const item of batch) {
          item.resolve({ probs: probs.slice(row * 10, (row + item.rows) * 10), tag });
          row += item.rows;
        }
      },
      (err: unknown) => {
        const again = this.executor.retryable?.(err) === true ? batch.filter((i) => !i.retried && !i.signal.aborted) : [];
        for (const item of batch) if (!again.includes(item)) item.reject(err);
        // Back to the front, in their order: they were first in line.
        for (const item of again) {
          item.retried = true;
          item.signal.addEventListener('abort', item.onAbort, { once: true });
        }
        this.queue.unshift(...again);
        this.queuedRows += again.reduce((n, i) => n + i.rows, 0);
      },
    ).finally(() => this.schedule());
  }
}
