import { AppError } from '@inkwell/contracts';

/**
 * At most `limit` images in preprocessing at once; the rest wait their turn, in order, without
 * using the CPU. Each image's pixel stages run synchronously on the event loop once its decode
 * returns, and Node runs every ready continuation before it looks at the network again: with 64
 * large photos in flight, /healthz waited ~200 ms and /readyz ~400 ms (gateway readiness checks
 * give up at 1.5 s). Bounding the images in the stage bounds that wait without costing throughput,
 * which the CPU caps anyway.
 */
export class PreprocessGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly urgent: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get queued(): number {
    return this.urgent.length + this.waiting.length;
  }

  /**
   * Runs `work` once a place is free; a request whose deadline passes while waiting never starts.
   * `urgent` work (a person's single read) waits ahead of the rest (a batch job's many items in
   * flight), so a read sent during a batch waits for at most the images already in the stage.
   */
  async run<T>(work: () => Promise<T>, signal: AbortSignal, urgent = false): Promise<T> {
    if (this.running >= this.limit) await this.turn(signal, urgent);
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.urgent.shift() ?? this.waiting.shift();
      if (next) next(); // the place passes straight to the next in line
      else this.running--;
    }
  }

  private turn(signal: AbortSignal, urgent: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const go = (): void => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const line = urgent ? this.urgent : this.waiting;
      const leave = (): void => {
        const i = line.indexOf(go);
        if (i >= 0) line.splice(i, 1);
        reject(signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Deadline passed'));
      };
      if (signal.aborted) return leave();
      line.push(go);
      signal.addEventListener('abort', leave, { once: true });
    });
  }
}
