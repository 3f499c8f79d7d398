import type { RecipeInput } from '@inkwell/model-artifacts';

/**
 * The default ensemble that `npm run models:default` trains into `models/`, and that inference
 * serves when nothing else is configured. Changing any field changes that model's recipe hash, and
 * the test beside this file then fails until the models are retrained and committed.
 *
 * Chosen to fit the 2 shared CPU cores the project trains on: small batch-normalised CNNs and a
 * narrow ResNet-8, each with on-the-fly augmentation (shift +/-2 px, rotation +/-10 deg, scale
 * 0.9-1.1), AdamW under a one-cycle schedule. Diversity comes from the seeds, the kernel size and
 * the architecture family.
 */
const AUGMENT = { maxShift: 2, maxRotationDeg: 10, scaleRange: [0.9, 1.1] as [number, number], elastic: null };
const DATA = { source: 'mnist' as const, validationFraction: 0.1, splitSeed: 0, trainLimit: null };

export const DEFAULT_ENSEMBLE_ID = 'default-ensemble-v1';

export const DEFAULT_RECIPES: readonly RecipeInput[] = [
  {
    name: 'cnn-a-v1',
    family: 'cnn',
    seed: 1,
    data: DATA,
    arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.3, batchNorm: true },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 5,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
  {
    name: 'cnn-b-v1',
    family: 'cnn',
    seed: 2,
    data: DATA,
    arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.3, batchNorm: true },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 5,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
  {
    name: 'resnet-a-v1',
    family: 'resnet',
    seed: 3,
    data: DATA,
    arch: { kind: 'resnet', depth: 8, width: 8 },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 6,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
  {
    name: 'cnn-c-v1',
    family: 'cnn',
    seed: 4,
    data: DATA,
    arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.3, batchNorm: true },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 6,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
  {
    name: 'cnn-d-v1',
    family: 'cnn',
    seed: 5,
    data: DATA,
    arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.3, batchNorm: true },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 6,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
  {
    name: 'cnn-e-v1',
    family: 'cnn',
    seed: 6,
    data: DATA,
    arch: { kind: 'cnn', filters: [32, 64], kernel: 3, dense: [128], dropout: 0.3, batchNorm: true },
    optimizer: { kind: 'adamw', lr: 0.003, weightDecay: 0.0005 },
    schedule: { kind: 'one-cycle', pctStart: 0.25, divFactor: 25, finalDivFactor: 1000 },
    epochs: 6,
    batchSize: 128,
    labelSmoothing: 0,
    augment: AUGMENT,
  },
];
