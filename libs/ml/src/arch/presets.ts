import { type Network, network } from '../graph/network';
import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { conv2d } from '../layers/conv2d';
import { dense } from '../layers/dense';
import { flatten } from '../layers/flatten';
import { globalAvgPool, maxPool } from '../layers/pool';
import { basicBlock } from './basic-block';
import { CLASSES, IMAGE_SHAPE } from './image-shape';
import { Stack } from './stack';

/**
 * LeNet-5 (LeCun et al. 1998): C1 conv 5x5x6, S2 pool, C3 conv 5x5x16, S4 pool, C5/F6 dense 120
 * and 84, output 10; 61,706 parameters. Adapted as is usual for MNIST's 28x28 digits and for
 * today's training:
 * - C1 pads by 2, so 28x28 maps as the paper's 32x32 input did (28 -> 28 -> 14 -> 10 -> 5) and C5
 *   sees the same 16x5x5 = 400 features; C5 on a 5x5 map with a 5x5 kernel is exactly a dense layer.
 * - ReLU and 2x2 max-pool instead of scaled tanh and trainable average subsampling, full C3
 *   connections instead of the paper's partial table, a softmax output instead of RBF units.
 * Pool comes before ReLU in training (they commute; ReLU then runs on a quarter of the values);
 * export swaps them back so ONNX Runtime fuses Conv+Relu (see export/fold.ts).
 */
export function lenet5(): Network {
  const s = new Stack(IMAGE_SHAPE)
    .add((sh) => conv2d('c1', sh, { filters: 6, kernel: 5, pad: 2 }))
    .add((sh) => maxPool('s2', sh, 2))
    .add((sh) => activation('c1.act', sh, 'relu'))
    .add((sh) => conv2d('c3', sh, { filters: 16, kernel: 5, pad: 0 }))
    .add((sh) => maxPool('s4', sh, 2))
    .add((sh) => activation('c3.act', sh, 'relu'))
    .add((sh) => flatten('flat', sh))
    .add((sh) => dense('c5', sh, 120))
    .add((sh) => activation('c5.act', sh, 'relu'))
    .add((sh) => dense('f6', sh, 84))
    .add((sh) => activation('f6.act', sh, 'relu'))
    .add((sh) => dense('out', sh, CLASSES));
  return network(IMAGE_SHAPE, s.layers);
}

/** ResNet-18's stages: widths and the stride of each stage's first block. */
const RESNET18_STAGES = [
  { filters: 64, stride: 1 },
  { filters: 128, stride: 2 },
  { filters: 256, stride: 2 },
  { filters: 512, stride: 2 },
] as const;

/**
 * ResNet-18 (He et al. 2016): four stages of two basic blocks, 64-128-256-512 channels, global
 * average pool, one dense layer; 11,172,810 parameters (the ImageNet model's 11.7 M less its
 * 1000-way head and 7x7x3 stem). Adapted to one-channel 28x28 digits:
 * - The ImageNet stem (7x7 stride-2 conv + 3x3 stride-2 max-pool) divides the side by 4; on 28
 *   pixels the last stage would see 1x1 maps. It becomes one 3x3 stride-1 conv on 1 channel
 *   (as the usual CIFAR adaptation), so the stages run at 28, 14, 7 and 4 pixels.
 * - 7 -> 4 in the last stage: the stride-2 3x3 conv pads by 1 and the 1x1 projection pads by 0,
 *   both giving ceil(7 / 2) = 4, so the two branches still add up.
 * Projection shortcuts (option B: 1x1 conv + BN) where the width or stride changes, identity
 * elsewhere, as in torchvision.
 */
export function resnet18(): Network {
  const s = new Stack(IMAGE_SHAPE)
    .add((sh) => conv2d('stem', sh, { filters: 64, kernel: 3, pad: 1, bias: false, init: 'he' }))
    .add((sh) => batchNorm('stem.bn', sh))
    .add((sh) => activation('stem.relu', sh, 'relu'));
  RESNET18_STAGES.forEach(({ filters, stride }, stage) => {
    for (let b = 0; b < 2; b++) {
      const id = `l${stage + 1}.b${b}`;
      s.add((sh) => basicBlock(id, sh, filters, b === 0 ? stride : 1)).add((sh) => activation(`${id}.out`, sh, 'relu'));
    }
  });
  s.add((sh) => globalAvgPool('gap', sh)).add((sh) => dense('fc', sh, CLASSES));
  return network(IMAGE_SHAPE, s.layers);
}
