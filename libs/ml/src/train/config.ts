import { z } from 'zod';
import { ArchConfig } from '../arch/schema';
import { OptimizerConfig } from '../optim/optimizer';
import { Schedule } from '../optim/schedule';
import { TrainAugment } from './augment-options';

export const EarlyStopping = z.object({
  /** Stop after this many epochs without improvement of validation accuracy. */
  patience: z.number().int().positive(),
  /** An improvement smaller than this (in accuracy, 0..1) does not count. */
  minDelta: z.number().min(0).default(0),
  /** End with the weights of the best validation epoch rather than the last. */
  restoreBest: z.boolean().default(true),
});

/** Everything that decides what a run computes: same config + same data => same weights (see `deterministic`). */
export const TrainConfig = z.object({
  arch: ArchConfig,
  optimizer: OptimizerConfig,
  schedule: Schedule.default({ kind: 'constant' }),
  epochs: z.number().int().positive().max(1000),
  batchSize: z.number().int().positive().max(8192).default(64),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  labelSmoothing: z.number().min(0).lt(1).default(0),
  /** Random warps of each training image every time it is drawn; null = none. */
  augment: TrainAugment,
  earlyStopping: EarlyStopping.optional(),
  /**
   * One intra-op thread, so that every float reduction runs in one fixed order and a run is
   * bit-for-bit repeatable on the same machine. Off: `threads` threads (faster, not guaranteed repeatable).
   */
  deterministic: z.boolean().default(false),
  threads: z.number().int().positive().max(64).default(2),
  /** Use CUDA when the installed onnxruntime-node has it and a GPU is present; otherwise CPU with a log line. */
  cuda: z.boolean().default(false),
});
export type TrainConfig = z.infer<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Parameters and buffers (batch-norm running statistics) by name. */
export type Weights = Record<string, NamedTensor>;

export const EpochStats = z.object({
  epoch: z.number().int().positive(),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  /** Learning rate of the epoch's last step. */
  lr: z.number(),
  seconds: z.number(),
  samplesPerSec: z.number(),
});
export type EpochStats = z.infer<typeof EpochStats>;

export interface TrainedModel {
  readonly arch: ArchConfig;
  readonly config: TrainConfig;
  readonly weights: Weights;
  readonly history: readonly EpochStats[];
  /** Epoch whose weights these are (the best one when early stopping restored it). */
  readonly epoch: number;
  readonly stoppedEarly: boolean;
}

export type Progress =
  | { readonly type: 'step'; readonly epoch: number; readonly step: number; readonly stepsPerEpoch: number; readonly loss: number; readonly accuracy: number; readonly lr: number; readonly samplesPerSec: number }
  | ({ readonly type: 'epoch' } & EpochStats)
  | { readonly type: 'log'; readonly message: string };

/** Images either as MNIST bytes (0..255, ink high; normalised by the engine) or already normalised floats. */
export interface DataSet {
  readonly images: Uint8Array | Float32Array;
  readonly labels: Uint8Array | readonly number[];
  readonly count: number;
}

export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;
