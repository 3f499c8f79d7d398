import { z } from 'zod';

/** Multi-layer perceptron on the flattened 28x28 image. */
export const MlpArch = z.object({
  kind: z.literal('mlp'),
  /** One entry per hidden layer: its number of neurons. */
  hidden: z.array(z.number().int().positive().max(8192)).max(16).default([256, 128]),
  activation: z.enum(['relu', 'tanh', 'sigmoid']).default('relu'),
  /** Dropout after each hidden activation (0 = none). */
  dropout: z.number().min(0).lt(1).default(0),
});
export type MlpArch = z.infer<typeof MlpArch>;

/** LeNet-style CNN: per entry of `filters` a conv (same padding) [+ batch-norm] + ReLU + 2x2 max-pool, then dense layers. */
export const CnnArch = z.object({
  kind: z.literal('cnn'),
  filters: z.array(z.number().int().positive().max(512)).min(1).max(3).default([32, 64]),
  kernel: z.union([z.literal(3), z.literal(5)]).default(3),
  dense: z.array(z.number().int().positive().max(4096)).max(4).default([128]),
  dropout: z.number().min(0).lt(1).default(0),
  batchNorm: z.boolean().default(false),
});
export type CnnArch = z.infer<typeof CnnArch>;

/** CIFAR-style ResNet (He et al. 2016, option-B projection shortcuts) for one-channel 28x28 input. */
export const ResnetArch = z.object({
  kind: z.literal('resnet'),
  /** 6n + 2 layers: three stages of n basic blocks (8, 14, 20, ...). */
  depth: z
    .number()
    .int()
    .min(8)
    .max(110)
    .refine((d) => (d - 2) % 6 === 0, 'depth must be 6n + 2')
    .default(8),
  /** Channels of the first stage; the next two stages use 2x and 4x. */
  width: z.number().int().positive().max(128).default(16),
});
export type ResnetArch = z.infer<typeof ResnetArch>;

/** LeNet-5, a preset: the architecture is fixed (arch/presets.ts), so it has no knobs. */
export const Lenet5Arch = z.object({ kind: z.literal('lenet5') });
export type Lenet5Arch = z.infer<typeof Lenet5Arch>;

/** ResNet-18 for one-channel 28x28 input, a preset: fixed architecture (arch/presets.ts), no knobs. */
export const Resnet18Arch = z.object({ kind: z.literal('resnet18') });
export type Resnet18Arch = z.infer<typeof Resnet18Arch>;

export const ArchConfig = z.discriminatedUnion('kind', [MlpArch, CnnArch, ResnetArch, Lenet5Arch, Resnet18Arch]);
export type ArchConfig = z.infer<typeof ArchConfig>;
