import { AugmentOptions } from '@inkwell/ml-data';

/** On-the-fly augmentation for a training run: `null` = off. Part of TrainConfig, so a checkpoint remembers it. */
export const TrainAugment = AugmentOptions.nullable().default(null);
