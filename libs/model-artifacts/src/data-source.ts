import type { DigitSet } from '@inkwell/ml-data';

/** The three splits a model is trained, calibrated and scored on: 28x28 uint8 images (0 = paper) with labels 0-9. */
export interface DataSplits {
  readonly train: DigitSet;
  /** Never trained on: the split that temperature scaling and `val_acc` use. */
  readonly validation: DigitSet;
  /** Never trained or calibrated on: the split `metrics.json` and `test_acc` report. */
  readonly test: DigitSet;
}

/**
 * Where trainRecipe gets its digits: MNIST (mnistSource) or an uploaded dataset with its stored
 * split. Loading is asynchronous so a source can read from storage; sizes are each set's `count`.
 */
export interface DataSource {
  /** Names the data in logs (e.g. `mnist (validation 10 %, split seed 0)`). */
  readonly name: string;
  load(): Promise<DataSplits>;
}
