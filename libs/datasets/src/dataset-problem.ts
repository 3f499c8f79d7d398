import { z } from 'zod';

/**
 * What can be wrong with a record. `duplicate` is the one warning: the record is kept (the stats
 * count it); every other kind means the record (or, for file-level kinds, the rest of the file)
 * is left out of the dataset.
 */
export const ProblemKind = z.enum([
  /** A row or array with the wrong number of values (CSV fields, NPY/IDX dimensions). */
  'wrong_shape',
  'label_out_of_range',
  /** A cell that is empty or not a number. */
  'non_numeric',
  /** A pixel outside 0..255 (or a float outside the file's range, or not finite). */
  'pixel_out_of_range',
  /** A ZIP entry that is not a PNG/JPEG the /v1/read preprocessing can turn into a digit. */
  'unreadable_image',
  /** A ZIP entry outside a class folder `0/` .. `9/`. */
  'unknown_class_folder',
  'duplicate',
  /** The images and labels files declare different counts; the extra records are left out. */
  'count_mismatch',
  /** A file that ends before its header says it should (or a gzip stream cut short). */
  'truncated',
  /** A dtype the reader cannot use (e.g. float labels). */
  'unsupported_dtype',
]);
export type ProblemKind = z.infer<typeof ProblemKind>;

export const WARNING_KINDS: ReadonlySet<ProblemKind> = new Set(['duplicate']);

export const DatasetProblem = z.object({
  kind: ProblemKind,
  /** CSV: 1-based line number in the file (a header is line 1); IDX/NPY: 0-based index; null otherwise. */
  row: z.number().int().nonnegative().nullable(),
  /** ZIP: the entry name; IDX/NPY pairs: which file (`images` / `labels`) when the problem is the file's. */
  file: z.string().nullable(),
  message: z.string(),
});
export type DatasetProblem = z.infer<typeof DatasetProblem>;

export const MAX_LISTED_PROBLEMS = 100;

export const DatasetFormat = z.enum(['idx', 'csv', 'npy', 'zip', 'builtin']);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

/** The validation report stored with a dataset and returned by the API. */
export const ValidationReport = z.object({
  format: DatasetFormat,
  /** No errors (warnings such as duplicates allowed). */
  valid: z.boolean(),
  /** Records seen in the files, good or bad. */
  records_read: z.number().int().nonnegative(),
  /** Records that made it into the dataset. */
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  error_count: z.number().int().nonnegative(),
  warning_count: z.number().int().nonnegative(),
  counts_by_kind: z.partialRecord(ProblemKind, z.number().int().positive()),
  /** The first `MAX_LISTED_PROBLEMS`, in file order. */
  problems: z.array(DatasetProblem).max(MAX_LISTED_PROBLEMS),
  problems_truncated: z.boolean(),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

/** Counts every problem, keeps the first few: memory stays fixed however bad the file is. */
export class ProblemLog {
  private readonly listed: DatasetProblem[] = [];
  private readonly counts = new Map<ProblemKind, number>();
  private errors = 0;
  private warnings = 0;

  constructor(private readonly limit = MAX_LISTED_PROBLEMS) {}

  add(problem: DatasetProblem): void {
    this.counts.set(problem.kind, (this.counts.get(problem.kind) ?? 0) + 1);
    if (WARNING_KINDS.has(problem.kind)) this.warnings++;
    else this.errors++;
    if (this.listed.length < this.limit) this.listed.push(problem);
  }

  get errorCount(): number {
    return this.errors;
  }

  report(format: DatasetFormat, recordsRead: number, accepted: number): ValidationReport {
    const total = this.errors + this.warnings;
    return ValidationReport.parse({
      format,
      valid: this.errors === 0 && accepted > 0,
      records_read: recordsRead,
      accepted,
      rejected: Math.max(0, recordsRead - accepted),
      error_count: this.errors,
      warning_count: this.warnings,
      counts_by_kind: Object.fromEntries(this.counts),
      problems: this.listed,
      problems_truncated: total > this.listed.length,
    });
  }
}
