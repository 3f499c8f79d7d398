import { DatasetFormatError } from '@inkwell/ml-data';
import { type DatasetFormat, type DatasetProblem, ProblemLog, type ValidationReport } from './dataset-problem';
import { type DatasetStats, StatsAccumulator } from './dataset-stats';
import type { RecordEvent } from './digit-record';
import { DuplicateIndex } from './duplicate-index';
import { type NormalizedPaths, NormalizedWriter } from './normalized-writer';

export interface ValidateOptions {
  /** Write the accepted digits here as an IDX pair (what training reads). */
  readonly normalized?: NormalizedPaths;
  /** Called every `progressEvery` records read (for the job's progress). */
  readonly onProgress?: (recordsRead: number) => void;
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

export interface ValidationResult {
  readonly report: ValidationReport;
  readonly stats: DatasetStats;
  /** The accepted digits' labels, in order: what the split is drawn from (one byte per digit). */
  readonly labels: Uint8Array;
}

/** A byte array that doubles as it fills: labels of a dataset whose size is known only at the end. */
class GrowableBytes {
  private buf = new Uint8Array(4096);
  length = 0;

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  toArray(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * One streaming pass over a dataset's records: the validation report (every problem counted, the
 * first 100 listed), the statistics of the accepted digits, duplicate detection, and optionally
 * the normalized IDX copy. Memory: one record, the fixed-size accumulators, the duplicate index
 * (12 bytes per distinct image) and the labels (1 byte per digit).
 */
export async function validateRecords(format: DatasetFormat, records: AsyncIterable<RecordEvent>, options: ValidateOptions = {}): Promise<ValidationResult> {
  const problems = new ProblemLog();
  const stats = new StatsAccumulator();
  const duplicates = new DuplicateIndex();
  const labels = new GrowableBytes();
  const writer = options.normalized ? new NormalizedWriter(options.normalized) : null;
  const every = options.progressEvery ?? 10_000;
  let read = 0;
  try {
    try {
      for await (const event of records) {
        options.signal?.throwIfAborted();
        if (event.type === 'problem') {
          problems.add(event.problem);
          if (isRecordProblem(event.problem)) read++;
          continue;
        }
        const { record } = event;
        read++;
        const ordinal = labels.length;
        const earlier = duplicates.check(record.pixels, ordinal);
        if (earlier >= 0) {
          const where = record.file ?? `row ${record.row ?? ordinal}`;
          problems.add({ kind: 'duplicate', row: record.row, file: record.file, message: `${where} is identical to accepted digit #${earlier}` });
        }
        stats.add(record.label, record.pixels, earlier >= 0);
        labels.push(record.label);
        if (writer) await writer.write(record.label, record.pixels);
        if (options.onProgress && read % every === 0) options.onProgress(read);
      }
    } catch (err) {
      // A header the reader could not parse after detection let it through (e.g. a file changed
      // on disk): report it rather than fail the job without a report.
      if (!(err instanceof DatasetFormatError)) throw err;
      problems.add({ kind: 'wrong_shape', row: null, file: null, message: err.message });
    }
    if (writer) await writer.close();
  } catch (err) {
    writer?.destroy();
    throw err;
  }
  return { report: problems.report(format, read, labels.length), stats: stats.result(), labels: labels.toArray() };
}

/**
 * A problem with one record that was read and refused (it counts in `records_read`), as opposed to
 * one about a whole file (`images` / `labels` of a pair, a header) or about records that are missing.
 */
function isRecordProblem(p: DatasetProblem): boolean {
  if (p.kind === 'truncated' || p.kind === 'count_mismatch') return false;
  return p.row !== null || (p.file !== null && p.file !== 'images' && p.file !== 'labels');
}
