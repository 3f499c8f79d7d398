import type { DatasetProblem } from './dataset-problem';

/** One digit as every reader yields it: 28x28 bytes, 0 = background, 255 = ink (MNIST's layout). */
export interface DigitRecord {
  /** Where it came from: CSV line (1-based), IDX/NPY index (0-based), or null for ZIP entries. */
  readonly row: number | null;
  /** ZIP entry name; null for the array formats. */
  readonly file: string | null;
  readonly label: number;
  /**
   * 784 bytes. Readers may reuse the buffer for the next record: copy what must outlive the
   * iteration step.
   */
  readonly pixels: Uint8Array;
}

/** What a reader yields, in file order: digits and the problems found between them. */
export type RecordEvent = { readonly type: 'record'; readonly record: DigitRecord } | { readonly type: 'problem'; readonly problem: DatasetProblem };

export const IMAGE_SIDE = 28;
export const IMAGE_BYTES = IMAGE_SIDE * IMAGE_SIDE;

export const problemEvent = (problem: DatasetProblem): RecordEvent => ({ type: 'problem', problem });
