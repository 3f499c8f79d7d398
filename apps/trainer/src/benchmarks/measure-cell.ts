import type { DigitSet } from '@inkwell/ml-data';
import { toFloatBatch } from '@inkwell/ml-data';
import { accuracyOf } from '@inkwell/model-artifacts';
import type { EngineRunner, MemberModel } from './engine-sessions';

export interface CellPlan {
  readonly warmup: number;
  readonly iterations: number;
  /** When set, runs until this much wall time has passed instead (at least one run). */
  readonly durationS?: number | undefined;
}

export interface CellMeasurement {
  /** ms per run, in run order. */
  readonly samplesMs: number[];
  readonly warmupMs: number;
  readonly cpuPct: number;
  readonly peakRssMb: number;
}

/** A duration-bound cell stops at this many runs even if the time is not up (memory for samples). */
const MAX_RUNS = 100_000;
/** RSS is sampled this often during the window, besides after every run. */
const RSS_SAMPLE_MS = 5;
const MB = 1024 * 1024;

/**
 * Lets the event loop run between two runs, outside the timed part. A WASM session's run resolves
 * on microtasks only, so a cell of back-to-back runs would otherwise hold the trainer's event loop
 * for its whole length: no database pool, no queue lock renewal, no HTTP, no RSS sampling.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The same n test digits for every engine, normalized for each member (digits repeat when n exceeds the set). */
export function batchInputs(set: DigitSet, members: readonly MemberModel[], n: number): Float32Array[] {
  const idx = Array.from({ length: n }, (_, i) => i % set.count);
  return members.map((m) => toFloatBatch(set, idx, m.normalization));
}

/**
 * Warmup runs (timed together, apart from the rest), then the measured runs, each timed alone with
 * performance.now(). CPU % is this process's CPU time (user + system, every thread: onnxruntime's
 * pool included) over the window's wall time, so 200 means two cores busy; peak RSS is the most the
 * process held, sampled on a timer and after each run.
 */
export async function measureCell(runner: EngineRunner, inputs: readonly Float32Array[], n: number, plan: CellPlan, signal?: AbortSignal): Promise<CellMeasurement> {
  const w0 = performance.now();
  for (let i = 0; i < plan.warmup; i++) {
    await runner.run(inputs, n);
    await yieldToEventLoop();
  }
  const warmupMs = performance.now() - w0;

  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  timer.unref();
  const samplesMs: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = plan.durationS === undefined ? null : t0 + plan.durationS * 1000;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const s = performance.now();
      await runner.run(inputs, n);
      samplesMs.push(performance.now() - s);
      peak = Math.max(peak, process.memoryUsage.rss());
      await yieldToEventLoop();
      if (until === null ? samplesMs.length >= plan.iterations : performance.now() >= until || samplesMs.length >= MAX_RUNS) break;
    }
  } finally {
    clearInterval(timer);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { samplesMs, warmupMs, cpuPct: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0, peakRssMb: peak / MB };
}

/** The engine's variant's accuracy on the test digits, run through the engine itself (batches of 500). */
export async function variantAccuracy(runner: EngineRunner, members: readonly MemberModel[], set: DigitSet, signal?: AbortSignal): Promise<number> {
  const batch = 500;
  const probs = new Float32Array(set.count * 10);
  for (let from = 0; from < set.count; from += batch) {
    signal?.throwIfAborted();
    const n = Math.min(batch, set.count - from);
    const idx = Array.from({ length: n }, (_, i) => from + i);
    const p = await runner.run(members.map((m) => toFloatBatch(set, idx, m.normalization)), n);
    probs.set(p, from * 10);
    await yieldToEventLoop();
  }
  return accuracyOf(set.labels, probs);
}
