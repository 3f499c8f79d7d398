import { describe, expect, it } from 'vitest';
import { mnistTest } from '@inkwell/model-artifacts';
import type { EngineRunner, MemberModel } from './engine-sessions';
import { batchInputs, measureCell, windowsStable } from './measure-cell';

/** An engine that takes `ms` of busy CPU per run (what a real session does on one core), counting its runs. */
function busyRunner(ms: number): EngineRunner & { runs: number } {
  const r = {
    runs: 0,
    run(_inputs: readonly Float32Array[], n: number) {
      r.runs++;
      for (const end = performance.now() + ms; performance.now() < end; );
      return Promise.resolve(new Float32Array(n * 10));
    },
    release: () => Promise.resolve(),
  };
  return r;
}

const member: MemberModel = { name: 'm', bytes: new Uint8Array(), inputName: 'image', outputName: 'probs', normalization: { mean: 0.1307, std: 0.3081 } };

describe('measuring one engine at one batch size', () => {
  it('runs the warmup apart, then exactly the measured iterations, each timed', async () => {
    const runner = busyRunner(2);
    const m = await measureCell(runner, [new Float32Array(8 * 784)], 8, { warmup: 3, iterations: 5 });
    expect(runner.runs).toBe(8);
    expect(m.samplesMs).toHaveLength(5);
    for (const s of m.samplesMs) expect(s).toBeGreaterThanOrEqual(2);
    expect(m.warmupMs).toBeGreaterThanOrEqual(6);
    // A busy loop on the main thread: about one core, never more than the machine has.
    expect(m.cpuPct).toBeGreaterThan(30);
    expect(m.peakRssMb).toBeGreaterThan(10);
  });

  it('with a duration, measures three windows of a third of it each, instead of counting', async () => {
    const runner = busyRunner(5);
    const m = await measureCell(runner, [new Float32Array(784)], 1, { warmup: 0, iterations: 1, durationS: 0.3 });
    // Three windows of 100 ms with 5 ms runs (more if the machine's load made them unsteady): at
    // least one run each, every run either measured or warmup, and no window's runs going on after
    // its time was up (only each window's last run may end past it).
    expect(typeof m.stable).toBe('boolean');
    expect(m.samplesMs.length).toBeGreaterThanOrEqual(3);
    expect(m.warmupRuns + m.samplesMs.length).toBe(runner.runs);
    expect(m.samplesMs.reduce((a, b) => a + b, 0)).toBeLessThan(300 + 3 * Math.max(...m.samplesMs));
  });

  it('counts the windows before three stable ones as warmup, as a machine busy at the start needs', async () => {
    // The first 10 runs take 10 ms (as if something else held the core), the rest 1 ms: windows of
    // 50 ms go about 100, 100, then 1,000 runs/s (a loaded machine slows the fast ones, never to
    // 100), so the slow runs all fall in the warmup and every measured run is a fast one.
    const slow = busyRunner(10);
    const fast = busyRunner(1);
    const runner: EngineRunner = { run: (inputs, n) => (slow.runs < 10 ? slow : fast).run(inputs, n), release: () => Promise.resolve() };
    const m = await measureCell(runner, [new Float32Array(784)], 1, { warmup: 0, iterations: 1, durationS: 0.15 });
    expect(m.warmupRuns).toBeGreaterThanOrEqual(10);
    expect(m.warmupRuns + m.samplesMs.length).toBe(slow.runs + fast.runs);
  });

  it('calls three windows stable only when their throughputs are within 10 % of each other', () => {
    expect(windowsStable([100, 105])).toBe(false);
    expect(windowsStable([50, 100, 105, 110])).toBe(true);
    expect(windowsStable([100, 105, 111])).toBe(false);
    expect(windowsStable([0, 0, 0])).toBe(false);
  });

  it('feeds every engine the same test digits, normalized per member, repeating them past the set', () => {
    const set = mnistTest();
    const [x] = batchInputs(set, [member], 3);
    expect(x).toHaveLength(3 * 784);
    const [big] = batchInputs({ ...set, count: 2 }, [member], 3);
    // The third image is the first again.
    expect(big?.slice(2 * 784, 3 * 784)).toEqual(big?.slice(0, 784));
  });
});
