import type { ImageLimits } from '@inkwell/imaging';
import type { DigitSet } from '@inkwell/ml-data';
import type { DetectedDataset } from './detected-dataset';
import { IMAGE_BYTES, type RecordEvent } from './digit-record';
import { readCsv } from './read-csv';
import { readIdxPair } from './read-idx';
import { readNpyPair } from './read-npy';
import { readZip } from './read-zip';

/** Every digit and problem of a detected dataset, in file order, streamed. */
export function datasetRecords(dataset: DetectedDataset, options: { imageLimits?: ImageLimits } = {}): AsyncGenerator<RecordEvent> {
  switch (dataset.format) {
    case 'idx': return readIdxPair(dataset.images, dataset.labels);
    case 'csv': return readCsv(dataset.path, dataset.header);
    case 'npy': return readNpyPair(dataset.images, dataset.labels);
    case 'zip': return readZip(dataset.path, options.imageLimits);
  }
}

/** An in-memory set (the built-in MNIST) as the same stream, so it goes through the same checks. */
export async function* digitSetRecords(set: DigitSet): AsyncGenerator<RecordEvent> {
  for (let i = 0; i < set.count; i++) {
    yield { type: 'record', record: { row: i, file: null, label: set.labels[i] as number, pixels: set.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES) } };
  }
}
