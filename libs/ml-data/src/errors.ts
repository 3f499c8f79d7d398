/** A dataset file that cannot be read as digits; the message says what is wrong with it. */
export class DatasetFormatError extends Error {
  override readonly name: string = 'DatasetFormatError';
}
