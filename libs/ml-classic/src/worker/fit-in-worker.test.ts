import { describe, expect, it } from 'vitest';
import { trainForest } from '../forest/forest';
import { trainSvm } from '../svm/train';
import { mnistFixtures } from '../test-fixtures';
import { FitCancelled, fitForest, fitSvm, type FitInWorkerOptions } from './fit-in-worker';

const { train, calibration } = mnistFixtures(5000);
const small = { ...train, count: 400, pixels: train.pixels.subarray(0, 400 * 784), labels: train.labels.subarray(0, 400) };

describe('classic fits in a worker thread', () => {
  it('give the same SVM and the same forest as the fit on this thread', async () => {
    const params = { kernel: 'rbf' as const, C: 5, gamma: 0.02, seed: 3 };
    const [here, there] = [trainSvm(small, params, { calibration }), await fitSvm(small, params, { calibration })];
    expect(there.model).toEqual(here.model);
    expect(there.smoIterations).toBe(here.smoIterations);
    const forest = { nEstimators: 5, seed: 2 };
    expect((await fitForest(small, forest)).model).toEqual(trainForest(small, forest).model);
  }, 60_000);

  it('reports a fit that fails in the worker with its message', async () => {
    const oneClass = { ...small, count: 1, pixels: small.pixels.subarray(0, 784), labels: small.labels.subarray(0, 1) };
    await expect(fitSvm(oneClass, {})).rejects.toThrow(/lack class/);
  }, 60_000);

  // 45 one-vs-one problems on 5,000 digits, or 300 trees: each aborted at its first progress line.
  it.each([
    { family: 'svm', first: /^svm pair 0-1:/, fit: (o: FitInWorkerOptions) => fitSvm(train, { kernel: 'rbf', C: 10, gamma: 0.025 }, o) },
    { family: 'random_forest', first: /^forest: 10\/300 trees/, fit: (o: FitInWorkerOptions) => fitForest(train, { nEstimators: 300, seed: 1 }, o) },
  ])('stops a long $family fit mid-way: the thread is gone within a second of the abort', async ({ family, first, fit }) => {
    const abort = new AbortController();
    let abortedAt = 0;
    const logs: string[] = [];
    const fitting = fit({
      signal: abort.signal,
      log: (m) => {
        logs.push(m);
        if (!abort.signal.aborted) {
          abortedAt = performance.now();
          abort.abort();
        }
      },
    });
    await expect(fitting).rejects.toBeInstanceOf(FitCancelled);
    const ms = performance.now() - abortedAt;
    console.info(`${family} fit stopped ${ms.toFixed(0)} ms after the abort, after "${logs[0] ?? 'no log'}"`);
    expect(logs[0]).toMatch(first);
    expect(ms).toBeLessThan(1000);
  }, 120_000);

  it('does not start a fit whose signal is already aborted', async () => {
    await expect(fitSvm(small, {}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(FitCancelled);
  });
});
