import { describe, expect, it } from 'vitest';
import { repoPath, runBundledWithoutTsx } from '@inkwell/testing';

/*
 * A benchmark fork in the Docker image must start the bundled `benchmark-fork.mjs` beside the
 * trainer's bundle: a fork of a tiny model, bundled as the image's trainer is.
 */
describe('a benchmark fork from a bundle without tsx', () => {
  it('runs the bundled benchmark-fork.mjs', async () => {
    const main = `import { GraphBuilder } from ${repoPath('libs/onnx/src/index.ts')};
import { measureInFork } from ${repoPath('apps/trainer/src/benchmarks/measure-in-fork.ts')};
const g = new GraphBuilder('tiny');
const flat = g.node('Flatten', [g.input('image', 'float32', ['N', 1, 28, 28])], { axis: 1 });
const w = g.initializer('w', 'float32', [10, 784], new Array(7840).fill(0.01));
const b = g.initializer('b', 'float32', [10], new Array(10).fill(0));
g.output(g.node('Softmax', [g.node('Gemm', [flat, w, b], { transB: 1 })], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
const member = { name: 'tiny', bytes: g.toModel(), inputName: 'image', outputName: 'probs', normalization: { mean: 0, std: 1 } };
const runs = [];
await measureInFork({ spec: { engine: 'ort-cpu' }, variant: [member], cells: [{ batch: 2, inputs: [new Float32Array(2 * 784)] }], plan: { warmup: 1, iterations: 3 } }, async (_i, m) => { runs.push(m.samplesMs.length); });
console.log(JSON.stringify({ runs }));`;
    expect(JSON.parse(await runBundledWithoutTsx(main, { 'benchmark-fork': 'apps/trainer/src/benchmarks/fork-child.ts' }))).toEqual({ runs: [3] });
  }, 90_000);
});
