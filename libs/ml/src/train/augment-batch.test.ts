import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainedModel } from './config';
import { type TrainOptions, train } from './train';

const mnist = loadMnist('train');
const N = 256;
const data = { images: mnist.pixels.slice(0, N * 784), labels: mnist.labels.slice(0, N), count: N };
const dir = mkdtempSync(join(tmpdir(), 'inkwell-ml-augment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: TrainOptions = {
  arch: { kind: 'mlp', hidden: [16] },
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 },
  epochs: 2,
  batchSize: 64,
  seed: 5,
  deterministic: true,
  augment: { maxShift: 2, maxRotationDeg: 10, scaleRange: [0.9, 1.1], elastic: null },
  data,
};

const flat = (m: TrainedModel): number[] => Object.values(m.weights).flatMap((t) => Array.from(t.data));

describe('on-the-fly augmentation in training', () => {
  it('changes what the net sees, stays repeatable for a seed, and survives a resume', async () => {
    const plain = await train({ ...base, augment: null });
    const augmented = await train({ ...base, checkpointDir: dir });
    const again = await train(base);
    const resumed = await train({ ...base, resumeFrom: join(dir, 'epoch-0001.ckpt') });
    expect(flat(augmented)).not.toEqual(flat(plain));
    expect(flat(again)).toEqual(flat(augmented));
    expect(flat(resumed)).toEqual(flat(augmented));
  });
});
