import { type Network, network } from '../graph/network';
import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { conv2d } from '../layers/conv2d';
import { dense } from '../layers/dense';
import { dropout } from '../layers/dropout';
import { flatten } from '../layers/flatten';
import { globalAvgPool, maxPool } from '../layers/pool';
import { basicBlock } from './basic-block';
import { CLASSES, IMAGE_SHAPE } from './image-shape';
import { lenet5, resnet18 } from './presets';
import { type ArchConfig, type CnnArch, type MlpArch, type ResnetArch } from './schema';
import { Stack } from './stack';

export { CLASSES, IMAGE_SHAPE } from './image-shape';

function denseHead(s: Stack, hidden: readonly number[], act: 'relu' | 'tanh' | 'sigmoid', rate: number): void {
  s.add((sh) => flatten('flat', sh));
  hidden.forEach((units, i) => {
    s.add((sh) => dense(`fc${i}`, sh, units)).add((sh) => activation(`fc${i}.act`, sh, act));
    if (rate > 0) s.add((sh) => dropout(`fc${i}.drop`, sh, rate));
  });
  s.add((sh) => dense('out', sh, CLASSES));
}

function mlp(a: MlpArch): Network {
  const s = new Stack(IMAGE_SHAPE);
  denseHead(s, a.hidden, a.activation, a.dropout);
  return network(IMAGE_SHAPE, s.layers);
}

function cnn(a: CnnArch): Network {
  const s = new Stack(IMAGE_SHAPE);
  a.filters.forEach((f, i) => {
    s.add((sh) => conv2d(`conv${i}`, sh, { filters: f, kernel: a.kernel, bias: !a.batchNorm }));
    if (a.batchNorm) s.add((sh) => batchNorm(`conv${i}.bn`, sh));
    // Pool before ReLU: max-pool and ReLU commute (ReLU is monotone), and ReLU then runs, forward
    // and backward, on a quarter of the values.
    s.add((sh) => maxPool(`pool${i}`, sh, 2)).add((sh) => activation(`conv${i}.act`, sh, 'relu'));
  });
  denseHead(s, a.dense, 'relu', a.dropout);
  return network(IMAGE_SHAPE, s.layers);
}

function resnet(a: ResnetArch): Network {
  const n = (a.depth - 2) / 6;
  const s = new Stack(IMAGE_SHAPE)
    .add((sh) => conv2d('stem', sh, { filters: a.width, kernel: 3, bias: false, init: 'he' }))
    .add((sh) => batchNorm('stem.bn', sh))
    .add((sh) => activation('stem.relu', sh, 'relu'));
  // 28 -> 28 -> 14 -> 7 spatially, as 32 -> 32 -> 16 -> 8 on CIFAR.
  [1, 2, 4].forEach((mult, stage) => {
    for (let b = 0; b < n; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      s.add((sh) => basicBlock(`s${stage}.b${b}`, sh, a.width * mult, stride)).add((sh) => activation(`s${stage}.b${b}.out`, sh, 'relu'));
    }
  });
  s.add((sh) => globalAvgPool('gap', sh)).add((sh) => dense('out', sh, CLASSES));
  return network(IMAGE_SHAPE, s.layers);
}

/** The layer graph for an architecture config (already parsed by its zod schema). */
export function buildNetwork(arch: ArchConfig): Network {
  switch (arch.kind) {
    case 'mlp':
      return mlp(arch);
    case 'cnn':
      return cnn(arch);
    case 'resnet':
      return resnet(arch);
    case 'lenet5':
      return lenet5();
    case 'resnet18':
      return resnet18();
  }
}
