/**
 * Where a batch job's time goes, by phase, in milliseconds: cheap enough to keep on in production
 * (a clock read per phase), and logged once when the job ends, so a slow job says whether it waited
 * on the database, the reading or the results file instead of leaving it to be guessed.
 */
export class PhaseClock {
  private readonly ms = new Map<string, number>();
  private readonly started = performance.now();

  /** Runs `fn`, adding its wall time to `phase` (whether it succeeds or throws). */
  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.add(phase, performance.now() - t);
    }
  }

  add(phase: string, ms: number): void {
    this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
  }

  /** Each phase's total, rounded to the millisecond, plus `total` since the clock was made. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [phase, ms] of this.ms) out[phase] = Math.round(ms);
    out.total = Math.round(performance.now() - this.started);
    return out;
  }
}
