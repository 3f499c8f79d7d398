import type { DigitSet } from '@inkwell/ml-data';
import { toFloatBatch } from '@inkwell/ml-data';
import { accuracyOf } from '@inkwell/model-artifacts';
import type { EngineRunner, MemberModel } from './engine-sessions';

export interface CellPlan {
  readonly warmup: number;
  readonly iterations: number;
  /** When set, measures windows of a third of this wall time until three in a row are stable, instead of counting runs. */
  readonly durationS?: number | undefined;
  /** A duration-bound cell's measured windows stop at this many runs in all (default MAX_CELL_RUNS); a fork gets its share. */
  readonly maxRuns?: number;
}

export interface CellMeasurement {
  /** ms per measured run, in run order. */
  readonly samplesMs: number[];
  /** Warmup runs: the plan's, plus, with a duration, the windows before the stable three. */
  readonly warmupRuns: number;
  readonly warmupMs: number;
  /** With a duration: whether the measured windows met the stability rule; null when counting runs. */
  readonly stable: boolean | null;
  /** Wall time of the measured windows. */
  readonly wallMs: number;
  readonly cpuPct: number;
  readonly peakRssMb: number;
}

/** A duration-bound cell's measured windows stop at this many runs in all, even if their time is not up (memory for samples). */
export const MAX_CELL_RUNS = 100_000;
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
 * A duration-bound cell measures in windows of a third of its duration until the last three
 * windows' throughputs are within this fraction of each other (max/min - 1): Triton perf_analyzer's
 * stability rule. A window that started while something else held the cores (the machine's other
 * work, a V8 tier-up of the WASM engine's code, a page-in) then counts as warmup instead of moving
 * the cell's numbers; a cell that never settles reports its last three windows and says so.
 */
const STABLE_WINDOWS = 3;
const STABILITY = 0.1;
const MAX_WINDOWS = 9;

/** Runs timed one by one, with this process's CPU time over the same wall time. */
interface Window {
  readonly samplesMs: number[];
  readonly wallMs: number;
  readonly cpuMs: number;
}

const windowThroughput = (w: Window, n: number): number => {
  let sum = 0;
  for (const s of w.samplesMs) sum += s;
  return sum > 0 ? (n * w.samplesMs.length * 1000) / sum : 0;
};

/** Whether the last three windows' throughputs lie within STABILITY of each other. */
export function windowsStable(throughputs: readonly number[]): boolean {
  if (throughputs.length < STABLE_WINDOWS) return false;
  const last = throughputs.slice(-STABLE_WINDOWS);
  const lo = Math.min(...last);
  return lo > 0 && Math.max(...last) <= lo * (1 + STABILITY);
}

/**
 * Warmup runs (timed together, apart from the rest), then the measured runs, each timed alone with
 * performance.now(): `iterations` of them, or, with a duration, windows of a third of it until three
 * in a row are stable (see STABILITY). CPU % is this process's CPU time (user + system, every
 * thread: onnxruntime's pool included) over the measured windows' wall time, so 200 means two cores
 * busy; peak RSS is the most the process held, sampled on a timer and after each run.
 */
export async function measureCell(runner: EngineRunner, inputs: readonly Float32Array[], n: number, plan: CellPlan, signal?: AbortSignal): Promise<CellMeasurement> {
  const w0 = performance.now();
  for (let i = 0; i < plan.warmup; i++) {
    await runner.run(inputs, n);
    await yieldToEventLoop();
  }
  let warmupMs = performance.now() - w0;
  let warmupRuns = plan.warmup;

  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  timer.unref();
  /** One window: `runs` runs, or runs until `ms` of wall time has passed or `budget` runs were made (at least one run). */
  const measure = async (stop: { runs: number } | { ms: number; budget: number }): Promise<Window> => {
    const samplesMs: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (;;) {
      signal?.throwIfAborted();
      const s = performance.now();
      await runner.run(inputs, n);
      samplesMs.push(performance.now() - s);
      peak = Math.max(peak, process.memoryUsage.rss());
      await yieldToEventLoop();
      if ('runs' in stop ? samplesMs.length >= stop.runs : performance.now() - t0 >= stop.ms || samplesMs.length >= stop.budget) break;
    }
    const cpu = process.cpuUsage(cpu0);
    return { samplesMs, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const windows: Window[] = [];
  let stable: boolean | null = null;
  try {
    if (plan.durationS === undefined) {
      windows.push(await measure({ runs: plan.iterations }));
    } else {
      const ms = (plan.durationS * 1000) / STABLE_WINDOWS;
      const throughputs: number[] = [];
      while (windows.length < MAX_WINDOWS && !windowsStable(throughputs)) {
        const w = await measure({ ms, budget: Math.max(1, Math.floor((plan.maxRuns ?? MAX_CELL_RUNS) / STABLE_WINDOWS)) });
        windows.push(w);
        throughputs.push(windowThroughput(w, n));
      }
      stable = windowsStable(throughputs);
      // The windows before the last three were warmup.
      for (const w of windows.splice(0, windows.length - STABLE_WINDOWS)) {
        warmupRuns += w.samplesMs.length;
        warmupMs += w.wallMs;
      }
    }
  } finally {
    clearInterval(timer);
  }
  const wallMs = windows.reduce((t, w) => t + w.wallMs, 0);
  const cpuMs = windows.reduce((t, w) => t + w.cpuMs, 0);
  return { samplesMs: windows.flatMap((w) => w.samplesMs), warmupRuns, warmupMs, stable, wallMs, cpuPct: wallMs > 0 ? (cpuMs / wallMs) * 100 : 0, peakRssMb: peak / MB };
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
