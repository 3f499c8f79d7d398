import type { ImageLimits } from '@inkwell/imaging';
import { datasetRecords } from './dataset-records';
import type { DetectedDataset } from './detected-dataset';
import { type ValidateOptions, type ValidationResult, validateRecords } from './validate-dataset';

/** Validates a detected upload: what the trainer's `validate-dataset` job calls. */
export function validateDataset(dataset: DetectedDataset, options: ValidateOptions & { imageLimits?: ImageLimits } = {}): Promise<ValidationResult> {
  return validateRecords(dataset.format, datasetRecords(dataset, { imageLimits: options.imageLimits }), options);
}
