import { describe, expect, it } from 'vitest';
import { repoPath, runBundledWithoutTsx } from '@inkwell/testing';

/*
 * Training must start its worker from the bundled `train-worker.mjs` beside the bundle, without
 * even resolving tsx: a tiny training run, bundled as the Docker image's trainer is.
 */
describe('training from a bundle without tsx', () => {
  it('runs the bundled train-worker.mjs', async () => {
    const main = `import { train } from ${repoPath('libs/ml/src/index.ts')};
const n = 128;
const images = new Uint8Array(n * 784).map((_, i) => (i * 37) % 256);
const labels = new Uint8Array(n).map((_, i) => i % 10);
const model = await train({ arch: { kind: 'mlp', hidden: [8] }, optimizer: { kind: 'sgd', lr: 0.01, momentum: 0 }, epochs: 1, batchSize: 64, data: { images, labels, count: n } });
console.log(JSON.stringify({ epochs: model.history.length }));`;
    expect(JSON.parse(await runBundledWithoutTsx(main, { 'train-worker': 'libs/ml/src/train/worker.ts' }))).toEqual({ epochs: 1 });
  });
});
