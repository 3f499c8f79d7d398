import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { network } from '../graph/network';
import { NEXT, buildTrainGraph } from '../graph/train-graph';
import { BN_MOMENTUM, batchNorm } from './batch-norm';
import { dense } from './dense';

describe('batch-norm running statistics', () => {
  it('move toward the batch mean and unbiased variance by the momentum each training step', async () => {
    const net = network([2], [batchNorm('bn', [2]), dense('d', [2], 3)]);
    const session = await ort.InferenceSession.create(buildTrainGraph(net, { dtype: 'float64', lowering: 'portable' }).model);
    const xs = [1, 10, 2, 20, 6, 30]; // feature 0: 1, 2, 6; feature 1: 10, 20, 30
    const t = (data: number[], dims: number[]) => new ort.Tensor('float64', Float64Array.from(data), dims);
    const out = await session.run({
      x: t(xs, [3, 2]),
      target: t([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]),
      'bn.gamma': t([1, 1], [2]),
      'bn.beta': t([0, 0], [2]),
      'bn.mean': t([0.5, -1], [2]),
      'bn.var': t([1, 2], [2]),
      'd.w': t([1, 0, 0, 1, 1, 1], [3, 2]),
      'd.b': t([0, 0, 0], [3]),
    });
    const m = BN_MOMENTUM;
    const mean = Array.from(out[NEXT('bn.mean')]?.data as Float64Array);
    const variance = Array.from(out[NEXT('bn.var')]?.data as Float64Array);
    expect(mean[0]).toBeCloseTo((1 - m) * 0.5 + m * 3, 12);
    expect(mean[1]).toBeCloseTo((1 - m) * -1 + m * 20, 12);
    expect(variance[0]).toBeCloseTo((1 - m) * 1 + m * 7, 12); // unbiased: ((-2)^2 + (-1)^2 + 3^2) / 2
    expect(variance[1]).toBeCloseTo((1 - m) * 2 + m * 100, 12);
  });
});
