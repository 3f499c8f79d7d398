import { datasetRecords } from './dataset-records';
import { makeSplit, type SplitIndices, type SplitRecord } from './dataset-split';
import { builtinMnistFiles, MNIST_OFFICIAL_SPLIT } from './builtin-mnist';
import type { RecordEvent } from './digit-record';
import { type ValidateOptions, type ValidationResult, validateRecords } from './validate-dataset';

async function* concat(...parts: AsyncIterable<RecordEvent>[]): AsyncGenerator<RecordEvent> {
  for (const part of parts) yield* part;
}

/**
 * The built-in `mnist` dataset as the trainer registers it at start: the shipped files through the
 * same validation (report, stats, normalized copy) as an upload, with the official split.
 */
export async function validateBuiltinMnist(options: ValidateOptions = {}): Promise<ValidationResult & { split: SplitRecord; indices: SplitIndices }> {
  const files = builtinMnistFiles();
  const result = await validateRecords('builtin', concat(datasetRecords(files.train), datasetRecords(files.test)), options);
  const { record, indices } = makeSplit(result.labels, MNIST_OFFICIAL_SPLIT);
  return { ...result, split: record, indices };
}
