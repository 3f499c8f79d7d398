import { AppError, type ReadFields, isAppError } from '@inkwell/contracts';
import type { Engine } from '../engine/engine';
import { type DigitReading, type NumberReading, type ReadOptions, readDigit, readNumber } from './read.service';

export interface ReaderOptions extends ReadOptions {
  /** Longest one image may take, queueing included; past it the read fails with `timeout`. */
  readonly timeoutMs: number;
}

/**
 * What reading one image is, whoever asks: `/v1/read`, `/api/predict` and the batch worker all
 * call `read`, so an image in a batch gets exactly the answer (or the error code) a single upload
 * of the same bytes gets. It knows nothing of HTTP: the caller passes the bytes, the form fields
 * and a signal that says the answer is no longer wanted (the client left, the batch was cancelled).
 */
export class Reader {
  constructor(
    private readonly engine: Engine,
    readonly opts: ReaderOptions,
  ) {}

  /** The largest image accepted, in bytes (the same limit the single upload's form parser has). */
  get maxBytes(): number {
    return this.opts.limits.maxBytes;
  }

  /**
   * Bytes -> digit within the deadline. A read whose deadline passes, or whose caller gives up
   * (`cancel`), leaves every line it waits in (preprocessing, batching) at once, so abandoned work
   * does not crowd out the next reads; it fails with the deadline's or the cancel's AppError.
   * `patienceUs` (batch jobs) lets the image wait that long in the engine for company, so runs fill
   * up; the answer is the same, only the batching changes.
   */
  async read(bytes: Uint8Array, fields: ReadFields, cancel?: AbortSignal, patienceUs?: number): Promise<DigitReading> {
    return this.withinDeadline((opts, signal) => readDigit(this.engine, bytes, fields, opts, signal), cancel, patienceUs);
  }

  /** Bytes -> the number's digits (`mode=number`), under the same deadline and cancelling as `read`. */
  async readNumber(bytes: Uint8Array, fields: ReadFields, cancel?: AbortSignal, patienceUs?: number): Promise<NumberReading> {
    return this.withinDeadline((opts, signal) => readNumber(this.engine, bytes, fields, opts, signal), cancel, patienceUs);
  }

  private async withinDeadline<T>(run: (opts: ReadOptions, signal: AbortSignal) => Promise<T>, cancel?: AbortSignal, patienceUs?: number): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new AppError('timeout', `No answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    const giveUp = (): void => deadline.abort(cancel?.reason instanceof AppError ? cancel.reason : new AppError('request_timeout', 'The caller left before the answer'));
    if (cancel?.aborted) giveUp();
    else cancel?.addEventListener('abort', giveUp, { once: true });
    try {
      const work = run(patienceUs === undefined ? this.opts : { ...this.opts, patienceUs }, deadline.signal);
      const aborted = new Promise<never>((_, reject) => {
        if (deadline.signal.aborted) reject(toAppError(deadline.signal.reason));
        deadline.signal.addEventListener('abort', () => reject(toAppError(deadline.signal.reason)), { once: true });
      });
      work.catch(() => undefined); // when the deadline wins, the late failure has no one to tell
      aborted.catch(() => undefined); // when the work wins, a later abort has no one to tell
      return await Promise.race([work, aborted]);
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', giveUp);
    }
  }
}

const toAppError = (reason: unknown): AppError => (reason instanceof AppError ? reason : new AppError('timeout', 'Deadline passed'));

/**
 * The error code a failed read answers with: the AppError's own code, or `internal_error` for
 * anything unexpected (which the single upload answers as a 500). The batch worker records it per
 * item; the read routes count it in usage.
 */
export const readErrorCode = (err: unknown): string => (isAppError(err) ? err.code : 'internal_error');

/** The `n` likeliest digits, likeliest first (ties: the smaller digit first), as `/api/predict`'s top3. */
export const topClasses = (probs: readonly number[], n: number): { digit: number; prob: number }[] =>
  probs
    .map((prob, digit) => ({ digit, prob }))
    .sort((a, b) => b.prob - a.prob || a.digit - b.digit)
    .slice(0, n);
