import { buildNetwork } from './build-network';
import type { Lenet5Arch, Resnet18Arch } from './schema';

export const PRESET_NAMES = ['lenet5', 'resnet18'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface PresetModel {
  readonly name: PresetName;
  readonly title: string;
  readonly description: string;
  readonly arch: Lenet5Arch | Resnet18Arch;
}

/** The standard architectures shipped ready to benchmark (seeded, untrained weights) or to train. */
export const PRESET_MODELS: Readonly<Record<PresetName, PresetModel>> = {
  lenet5: {
    name: 'lenet5',
    title: 'LeNet-5',
    description: 'LeNet-5 (LeCun et al. 1998) for 28x28 digits: conv 5x5x6 (pad 2), max-pool, conv 5x5x16, max-pool, dense 120, 84, 10; ReLU',
    arch: { kind: 'lenet5' },
  },
  resnet18: {
    name: 'resnet18',
    title: 'ResNet-18',
    description: 'ResNet-18 (He et al. 2016) for one-channel 28x28 input: 3x3 stride-1 stem without max-pool, [2, 2, 2, 2] basic blocks of 64-128-256-512 channels, global average pool, dense 10',
    arch: { kind: 'resnet18' },
  },
};

/** Trainable parameters (batch-norm running statistics excluded). */
export function parameterCount(arch: Lenet5Arch | Resnet18Arch): number {
  return buildNetwork(arch).params.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
}
