import { loadMnist } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { type Progress, TrainConfig } from './config';
import { runTraining } from './train-loop';

const mnist = loadMnist('train');
const slice = (from: number, n: number) => ({ images: mnist.pixels.subarray(from * 784, (from + n) * 784), labels: mnist.labels.subarray(from, from + n), count: n });

describe('runTraining', () => {
  it('early stopping ends the run once validation accuracy stalls, and returns the best epoch', async () => {
    // A learning rate too small to change any prediction: epoch 1 sets the best, epoch 2 cannot beat it.
    const config = TrainConfig.parse({
      arch: { kind: 'mlp', hidden: [8] },
      optimizer: { kind: 'sgd', lr: 1e-12, momentum: 0 },
      epochs: 10,
      earlyStopping: { patience: 1 },
    });
    const model = await runTraining({ config, data: slice(0, 256), validation: slice(256, 128) }, { progress: () => {}, cancelled: () => false });
    expect(model.stoppedEarly).toBe(true);
    expect(model.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(model.epoch).toBe(1);
  });

  it('asked for CUDA where the provider is missing, says so and trains on the CPU', async () => {
    const config = TrainConfig.parse({ arch: { kind: 'mlp', hidden: [8] }, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 1, cuda: true });
    const logs: string[] = [];
    const model = await runTraining({ config, data: slice(0, 128) }, { progress: (p: Progress) => p.type === 'log' && logs.push(p.message), cancelled: () => false });
    expect(logs.some((m) => /execution provider cuda unavailable.*using cpu/.test(m))).toBe(true);
    expect(model.history).toHaveLength(1);
  });

  it('rejects data whose sizes do not match', async () => {
    const config = TrainConfig.parse({ arch: { kind: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 });
    const bad = { ...slice(0, 16), count: 17 };
    await expect(runTraining({ config, data: bad }, { progress: () => {}, cancelled: () => false })).rejects.toThrow(/pixels for 17 images/);
  });
});
