import { z } from 'zod';
import { TrainFamily } from '../queues/gpu-jobs';

/*
 * Each model family's public hyperparameters: the names `POST /api/models/train` takes in
 * `hyperparameters` (the issue's names, snake_case), their bounds and defaults. Unknown keys are
 * refused. The trainer maps them onto its engines' recipes (apps/trainer/src/families/); these
 * schemas are the contract, so the gateway's OpenAPI, the web app and the trainer agree.
 */

const Dropout = z.number().min(0).lt(1);

/** On-the-fly augmentation of the training digits; `true` takes every default. */
export const AugmentationHyperparameters = z
  .object({
    max_shift: z.number().min(0).max(8).default(2).describe('uniform shift in [-max_shift, max_shift] pixels along each axis'),
    max_rotation_deg: z.number().min(0).max(45).default(10).describe('uniform rotation in degrees, either way'),
    scale_range: z
      .tuple([z.number().min(0.5).max(2), z.number().min(0.5).max(2)])
      .refine(([lo, hi]) => lo <= hi, 'scale_range must be [min, max] with min <= max')
      .default([0.9, 1.1]),
    elastic: z.boolean().default(false).describe('elastic distortion with the engine\'s default strength'),
  })
  .strict();
export type AugmentationHyperparameters = z.infer<typeof AugmentationHyperparameters>;

/**
 * The training knobs the three nets share. `momentum` only means something to `sgd`, and
 * `step_every_epochs` / `step_gamma` only to the `step` schedule: given with anything else they are
 * refused rather than silently ignored, so they carry no default here (the trainer fills 0.9, 1, 0.1).
 */
export const NetTrainingHyperparameters = z.object({
  learning_rate: z.number().positive().max(10).default(0.001),
  batch_size: z.int().min(1).max(8192).default(64),
  optimizer: z.enum(['sgd', 'adam', 'adamw']).default('adamw'),
  momentum: z.number().min(0).max(1).optional().describe('sgd only; default 0.9'),
  weight_decay: z.number().min(0).max(1).default(0),
  schedule: z.enum(['constant', 'step', 'cosine', 'one_cycle']).default('constant').describe('how the learning rate changes over the run'),
  step_every_epochs: z.int().positive().optional().describe('schedule `step` only: epochs between decays; default 1'),
  step_gamma: z.number().positive().max(1).optional().describe('schedule `step` only: factor per decay; default 0.1'),
  label_smoothing: z.number().min(0).lt(1).default(0),
  augmentation: z.union([z.boolean(), AugmentationHyperparameters]).default(false),
});
export type NetTrainingHyperparameters = z.infer<typeof NetTrainingHyperparameters>;

type NetKnobs = Pick<NetTrainingHyperparameters, 'optimizer' | 'momentum' | 'schedule' | 'step_every_epochs' | 'step_gamma'>;

/** Refuses knobs that mean nothing with the chosen optimizer or schedule. */
function checkNetKnobs(p: NetKnobs, ctx: z.RefinementCtx): void {
  if (p.momentum !== undefined && p.optimizer !== 'sgd') ctx.addIssue({ code: 'custom', path: ['momentum'], message: `momentum applies to optimizer sgd only, not ${p.optimizer}` });
  for (const k of ['step_every_epochs', 'step_gamma'] as const) {
    if (p[k] !== undefined && p.schedule !== 'step') ctx.addIssue({ code: 'custom', path: [k], message: `${k} applies to schedule step only, not ${p.schedule}` });
  }
}

const Width = z.int().min(1).max(8192);

/**
 * `layers` counts the hidden layers; `neurons` is one width for every hidden layer or a list with
 * one width per layer (then `layers`, if given, must equal its length). Without `layers`: the
 * list's length, or 2 when `neurons` is a single number.
 */
export const MlpHyperparameters = z
  .object({
    layers: z.int().min(0).max(16).optional().describe('hidden layers; default: the length of `neurons` when it is a list, else 2'),
    neurons: z.union([Width, z.array(Width).min(1).max(16)]).default([256, 128]).describe('one width for every hidden layer, or one width per hidden layer'),
    activation: z.enum(['relu', 'tanh', 'sigmoid']).default('relu'),
    dropout: Dropout.default(0).describe('after each hidden activation; 0 = none'),
    ...NetTrainingHyperparameters.shape,
  })
  .strict()
  .superRefine((p, ctx) => {
    if (Array.isArray(p.neurons) && p.layers !== undefined && p.layers !== p.neurons.length) {
      ctx.addIssue({ code: 'custom', path: ['layers'], message: `layers is ${p.layers} but neurons lists ${p.neurons.length} widths` });
    }
    checkNetKnobs(p, ctx);
  });
export type MlpHyperparameters = z.infer<typeof MlpHyperparameters>;

export const CnnHyperparameters = z
  .object({
    filters: z.array(z.int().min(1).max(512)).min(1).max(3).default([32, 64]).describe('one conv block (conv, ReLU, 2x2 max-pool) per entry: its channels'),
    kernel_size: z.union([z.literal(3), z.literal(5)]).default(3),
    dense: z.array(z.int().min(1).max(4096)).max(4).default([128]).describe('widths of the dense layers after the conv blocks'),
    dropout: Dropout.default(0),
    batch_norm: z.boolean().default(false),
    ...NetTrainingHyperparameters.shape,
  })
  .strict()
  .superRefine(checkNetKnobs);
export type CnnHyperparameters = z.infer<typeof CnnHyperparameters>;

export const ResnetHyperparameters = z
  .object({
    depth: z
      .int()
      .min(8)
      .max(110)
      .refine((d) => (d - 2) % 6 === 0, 'depth must be 6n + 2 (8, 14, 20, ...)')
      .default(8),
    width: z.int().min(1).max(128).default(16).describe('channels of the first stage; the next two use 2x and 4x'),
    ...NetTrainingHyperparameters.shape,
  })
  .strict()
  .superRefine(checkNetKnobs);
export type ResnetHyperparameters = z.infer<typeof ResnetHyperparameters>;

/**
 * The preset architectures (LeNet-5, ResNet-18 for one-channel 28x28; see @inkwell/ml's
 * arch/presets.ts): the architecture is fixed by the preset's name, so only the training knobs.
 */
export const Lenet5Hyperparameters = NetTrainingHyperparameters.strict().superRefine(checkNetKnobs);
export type Lenet5Hyperparameters = z.infer<typeof Lenet5Hyperparameters>;
export const Resnet18Hyperparameters = NetTrainingHyperparameters.strict().superRefine(checkNetKnobs);
export type Resnet18Hyperparameters = z.infer<typeof Resnet18Hyperparameters>;

/** `C` keeps its customary capital. Features are pixel / 255. */
export const SvmHyperparameters = z
  .object({
    kernel: z.enum(['rbf', 'linear', 'poly']).default('rbf'),
    C: z.number().positive().max(1e6).default(10),
    gamma: z.union([z.enum(['scale', 'auto']), z.number().positive()]).default(0.025).describe('scale = 1 / (784 var(X)), auto = 1 / 784, or a number'),
    degree: z.int().min(1).max(10).default(3).describe('poly only'),
    coef0: z.number().min(-1e3).max(1e3).default(0).describe('poly only'),
  })
  .strict();
export type SvmHyperparameters = z.infer<typeof SvmHyperparameters>;

export const RandomForestHyperparameters = z
  .object({
    n_estimators: z.int().min(1).max(2000).default(100),
    max_depth: z.int().min(1).max(100).nullable().default(null).describe('null = grow until leaves are pure or too small to split'),
    min_samples_split: z.int().min(2).max(100_000).default(2),
    max_features: z.union([z.enum(['sqrt', 'log2']), z.int().min(1).max(784)]).default('sqrt').describe('pixels tried per split'),
    bootstrap: z.boolean().default(true),
  })
  .strict();
export type RandomForestHyperparameters = z.infer<typeof RandomForestHyperparameters>;

/** Each family's hyperparameter schema: what `TrainRequest.hyperparameters` must fit. */
export const FAMILY_HYPERPARAMETERS = {
  svm: SvmHyperparameters,
  random_forest: RandomForestHyperparameters,
  mlp: MlpHyperparameters,
  cnn: CnnHyperparameters,
  resnet: ResnetHyperparameters,
  lenet5: Lenet5Hyperparameters,
  resnet18: Resnet18Hyperparameters,
} as const satisfies Record<TrainFamily, z.ZodType>;

/**
 * Where a family stands (reconciled at every trainer start between the families in code and the
 * `families` table): `available` in both; `unavailable` in the table only (this trainer cannot
 * train it); `unregistered` in code only, not trainable until an admin registers it.
 */
export const FAMILY_STATUSES = ['available', 'unavailable', 'unregistered'] as const;
export const FamilyStatus = z.enum(FAMILY_STATUSES);
export type FamilyStatus = z.infer<typeof FamilyStatus>;

/** `GET /api/families`: one family. Code-side fields are null for a family only the table knows. */
export const FamilyView = z.object({
  name: z.string(),
  status: FamilyStatus,
  description: z.string().nullable(),
  /** Every hyperparameter a request may leave out, with the value it then gets. */
  defaults: z.record(z.string(), z.json()).nullable(),
  /** JSON Schema (draft 2020-12) of the family's `hyperparameters`. */
  parameters: z.record(z.string(), z.unknown()).nullable(),
  registered_at: z.iso.datetime({ offset: true }).nullable(),
});
export type FamilyView = z.infer<typeof FamilyView>;

export const FamilyList = z.object({ items: z.array(FamilyView) });
export type FamilyList = z.infer<typeof FamilyList>;

export const FamilyNameParams = z.object({ name: TrainFamily });
