import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '@inkwell/onnx';
import type { MemberModel } from './engine-sessions';
import type { CellMeasurement } from './measure-cell';
import { measureInFork } from './measure-in-fork';

/** A real, tiny digit model: a linear layer over the pixels. */
function tinyModel(): MemberModel {
  const g = new GraphBuilder('tiny');
  const image = g.input('image', 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Flatten', [image], { axis: 1 });
  const w = g.initializer('w', 'float32', [10, 784], Array.from({ length: 7840 }, (_, i) => Math.sin(i * 0.37) * 0.05));
  const b = g.initializer('b', 'float32', [10], new Array<number>(10).fill(0));
  const logits = g.node('Gemm', [flat, w, b], { transB: 1 });
  g.output(g.node('Softmax', [logits], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
  return { name: 'tiny', bytes: g.toModel(), inputName: 'image', outputName: 'probs', normalization: { mean: 0.1307, std: 0.3081 } };
}

const cells = [1, 4].map((batch) => ({ batch, inputs: [new Float32Array(batch * 784).fill(0.5)] }));

describe('one benchmark fork in a process of its own', () => {
  for (const engine of ['ort-cpu', 'ort-wasm'] as const) {
    it(`measures every cell of ${engine} in a child process and hands them on in order`, async () => {
      const got: { index: number; m: CellMeasurement }[] = [];
      await measureInFork({ spec: { engine }, variant: [tinyModel()], cells, plan: { warmup: 2, iterations: 7 } }, async (index, m) => {
        got.push({ index, m });
        await new Promise((r) => setTimeout(r, 20));
      });
      expect(got.map((g) => g.index)).toEqual([0, 1]);
      for (const { m } of got) {
        expect(m.samplesMs).toHaveLength(7);
        for (const s of m.samplesMs) expect(s).toBeGreaterThan(0);
        expect(m.warmupRuns).toBe(2);
        // The child's own memory: Node and the engine.
        expect(m.peakRssMb).toBeGreaterThan(10);
      }
    }, 60_000);
  }

  it("rejects with the child's error when the engine cannot be built", async () => {
    const broken = { ...tinyModel(), bytes: new Uint8Array([1, 2, 3]) };
    await expect(measureInFork({ spec: { engine: 'ort-cpu' }, variant: [broken], cells, plan: { warmup: 0, iterations: 1 } }, () => Promise.resolve())).rejects.toThrow(/protobuf|model|load/i);
  }, 60_000);

  it('stops at the first cell the caller cannot take, and hands on no later one', async () => {
    const taken: number[] = [];
    const run = measureInFork({ spec: { engine: 'ort-cpu' }, variant: [tinyModel()], cells, plan: { warmup: 0, iterations: 3 } }, (index) => {
      taken.push(index);
      // Slow to fail, so the second cell (3 runs of a tiny model) arrives and waits behind it.
      return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('database gone')), 500));
    });
    await expect(run).rejects.toThrow('database gone');
    await new Promise((r) => setTimeout(r, 300));
    expect(taken).toEqual([0]);
  }, 60_000);

  it('kills the child when aborted, and rejects with the reason', async () => {
    const ac = new AbortController();
    const started = performance.now();
    const run = measureInFork({ spec: { engine: 'ort-cpu' }, variant: [tinyModel()], cells, plan: { warmup: 0, iterations: 1, durationS: 60 } }, () => Promise.resolve(), ac.signal);
    setTimeout(() => ac.abort(new Error('stop now')), 2_000);
    await expect(run).rejects.toThrow('stop now');
    // A 60 s cell (up to three times that) stopped within a few seconds of the abort.
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
