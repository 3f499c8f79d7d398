import { z } from 'zod';
import { TopClass } from '../inference/read';
import { BatchSummary } from './batch-http';

/**
 * One image of a batch, as the results ZIP reports it: what `/v1/read` answered for the same
 * bytes (digit, confidence 0..1, uncertain) plus the top three classes, or the error code a single
 * upload of the same file would have been refused with.
 */
export const BatchItemResult = z.object({
  /** The item's place in the upload (0-based: the order of the ZIP's entries or of the files sent). */
  index: z.int().min(0),
  /** The path inside the ZIP (folders kept), or the uploaded file's name. */
  name: z.string(),
  status: z.enum(['done', 'error']),
  digit: z.int().min(0).max(9).nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  top3: z.array(TopClass).max(3).nullable(),
  uncertain: z.boolean().nullable(),
  error_code: z.string().nullable(),
});
export type BatchItemResult = z.infer<typeof BatchItemResult>;

/** `results.csv`'s header, in order; top-3 is spread over six columns so a spreadsheet can sort on them. */
export const BATCH_RESULTS_CSV_COLUMNS = [
  'index',
  'name',
  'status',
  'digit',
  'confidence',
  'uncertain',
  'top1_digit',
  'top1_prob',
  'top2_digit',
  'top2_prob',
  'top3_digit',
  'top3_prob',
  'error_code',
] as const;
export type BatchResultsCsvColumn = (typeof BATCH_RESULTS_CSV_COLUMNS)[number];

/** `results.json` in the results ZIP: every item, in upload order. */
export const BatchResultsJson = z.object({ job_id: z.uuid(), items: z.array(BatchItemResult) });
export type BatchResultsJson = z.infer<typeof BatchResultsJson>;

/** `summary.json` in the results ZIP: the job's totals and the summary the job row also holds. */
export const BatchSummaryFile = BatchSummary.extend({
  job_id: z.uuid(),
  total_images: z.int().min(0),
  /** Items read to a digit. */
  done: z.int().min(0),
  /** Items that failed, each with the error code a single upload would get. */
  failed: z.int().min(0),
});
export type BatchSummaryFile = z.infer<typeof BatchSummaryFile>;

/** The files of the results ZIP, by name. */
export const BATCH_RESULTS_FILES = { csv: 'results.csv', json: 'results.json', summary: 'summary.json' } as const;
