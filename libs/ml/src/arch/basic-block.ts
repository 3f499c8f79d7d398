import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { conv2d } from '../layers/conv2d';
import type { Layer } from '../layers/layer';
import { residual } from '../layers/residual';
import { Stack } from './stack';

/**
 * He et al.'s basic block: 3x3 conv (stride) + BN + ReLU + 3x3 conv + BN, added to the input, or
 * to a 1x1 strided conv + BN of it (option-B projection) when the stride or width changes. The
 * ReLU after the addition is the caller's.
 */
export function basicBlock(id: string, shape: readonly number[], filters: number, stride: number): Layer {
  const main = new Stack(shape)
    .add((sh) => conv2d(`${id}.conv1`, sh, { filters, kernel: 3, stride, pad: 1, bias: false, init: 'he' }))
    .add((sh) => batchNorm(`${id}.bn1`, sh))
    .add((sh) => activation(`${id}.relu1`, sh, 'relu'))
    .add((sh) => conv2d(`${id}.conv2`, sh, { filters, kernel: 3, bias: false, init: 'he' }))
    .add((sh) => batchNorm(`${id}.bn2`, sh));
  const project = stride !== 1 || shape[0] !== filters;
  const short = new Stack(shape);
  if (project) {
    short
      .add((sh) => conv2d(`${id}.proj`, sh, { filters, kernel: 1, stride, pad: 0, bias: false, init: 'he' }))
      .add((sh) => batchNorm(`${id}.proj.bn`, sh));
  }
  return residual(id, main.layers, short.layers);
}
