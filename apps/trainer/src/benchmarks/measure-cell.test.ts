import { describe, expect, it } from 'vitest';
import { mnistTest } from '@inkwell/model-artifacts';
import type { EngineRunner, MemberModel } from './engine-sessions';
import { batchInputs, measureCell } from './measure-cell';

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

  it('with a duration, runs until the time is up instead of counting', async () => {
    const m = await measureCell(busyRunner(5), [new Float32Array(784)], 1, { warmup: 0, iterations: 1, durationS: 0.1 });
    // 100 ms of 5 ms runs: more than one, and none started after the time was up.
    expect(m.samplesMs.length).toBeGreaterThan(1);
    expect(m.samplesMs.slice(0, -1).reduce((a, b) => a + b, 0)).toBeLessThan(100);
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
