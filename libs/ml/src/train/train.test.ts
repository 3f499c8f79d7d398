import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainedModel } from './config';
import { type TrainOptions, train } from './train';

const mnist = loadMnist('train');
const N = 512;
const data = { images: mnist.pixels.subarray(0, N * 784), labels: mnist.labels.subarray(0, N), count: N };
const validation = { images: mnist.pixels.subarray(N * 784, (N + 256) * 784), labels: mnist.labels.subarray(N, N + 256), count: 256 };
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'inkwell-ml-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A tiny CNN with batch-norm and dropout: it exercises seeded init, shuffling, dropout masks,
// running statistics and momentum state, everything that must survive a checkpoint.
const base: TrainOptions = {
  arch: { kind: 'cnn', filters: [4, 8], kernel: 3, dense: [16], dropout: 0.25, batchNorm: true },
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
  schedule: { kind: 'cosine' },
  epochs: 2,
  batchSize: 64,
  seed: 11,
  deterministic: true,
  data,
  validation,
};

function sameWeights(a: TrainedModel, b: TrainedModel): boolean {
  const names = Object.keys(a.weights);
  if (names.join() !== Object.keys(b.weights).join()) return false;
  return names.every((n) => {
    const x = a.weights[n]?.data;
    const y = b.weights[n]?.data;
    return x !== undefined && y !== undefined && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  });
}

describe('train (worker thread)', () => {
  it('is bit-for-bit repeatable: same seed, data and config give identical weights; another seed does not', async () => {
    const steps: number[] = [];
    const a = await train({ ...base, onProgress: (p) => p.type === 'step' && steps.push(p.step) });
    const b = await train(base);
    const c = await train({ ...base, seed: 12 });
    expect(sameWeights(a, b)).toBe(true);
    expect(sameWeights(a, c)).toBe(false);
    expect(steps).toHaveLength(2 * 8);
    expect(a.history).toHaveLength(2);
    expect(a.history[1]?.valAccuracy).toBeGreaterThan(0.2);
  });

  it('resumed from the epoch-1 checkpoint, ends with the weights of a run never interrupted', async () => {
    const dir = tempDir();
    const whole = await train({ ...base, checkpointDir: dir });
    expect(readdirSync(dir).sort()).toEqual(['epoch-0001.ckpt', 'epoch-0002.ckpt']);
    const resumed = await train({ ...base, resumeFrom: join(dir, 'epoch-0001.ckpt') });
    expect(sameWeights(whole, resumed)).toBe(true);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2]);
  });

  it('stops between steps when aborted, rejecting with an AbortError', async () => {
    const ctl = new AbortController();
    let seen = 0;
    const run = train({ ...base, epochs: 50, signal: ctl.signal, onProgress: (p) => p.type === 'step' && ++seen === 3 && ctl.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(50 * 8);
  });

  it('refuses a config it cannot train, before starting a worker', () => {
    expect(() => train({ ...base, arch: { kind: 'resnet', depth: 9, width: 4 } })).toThrow(/6n \+ 2/);
  });
});
