import type { Logger } from '@inkwell/logger';

/**
 * Runs `task` every `intervalMs` (never two at once), logging failures; `stop` waits for a run
 * in flight. Several replicas each run their own: the tasks take the chain lock or a PostgreSQL
 * advisory lock, so they take turns and a later one finds nothing left to do.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runNow(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now unless a run is in flight (then waits for that one). */
  runNow(): Promise<void> {
    this.running ??= this.task()
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err, task: this.name }, 'audit periodic task failed'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
