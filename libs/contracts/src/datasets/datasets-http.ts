import { z } from 'zod';

/*
 * The datasets API's shapes. The report, stats and split mirror the schemas of `@inkwell/datasets`
 * (which computes them): that lib imports contracts, so contracts cannot import it back.
 */

const Count = z.number().int().nonnegative();
const ClassCounts = z.array(Count).length(10);

/** The text fields of `POST /api/datasets`; the split settings are FR2.2's "configurable" split. */
export const DatasetUploadFields = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  split_seed: z.coerce.number().int().min(0).default(0),
  validation_fraction: z.coerce.number().min(0).lt(1).default(0.1),
  test_fraction: z.coerce.number().min(0).lt(1).default(0.1),
});
export type DatasetUploadFields = z.infer<typeof DatasetUploadFields>;

/** The upload's file field: repeated, one file (CSV, ZIP) or two (IDX pair, NPY pair, in any order). */
export const DATASET_FILE_FIELD = 'files';

export const DatasetStatus = z.enum(['validating', 'ready', 'invalid']);
export type DatasetStatus = z.infer<typeof DatasetStatus>;

export const DatasetFileView = z.object({ name: z.string(), hash: z.string(), size_bytes: Count });

export const DatasetProblemView = z.object({ kind: z.string(), row: Count.nullable(), file: z.string().nullable(), message: z.string() });

export const DatasetReportView = z.object({
  format: z.string(),
  valid: z.boolean(),
  records_read: Count,
  accepted: Count,
  rejected: Count,
  error_count: Count,
  warning_count: Count,
  counts_by_kind: z.record(z.string(), Count),
  problems: z.array(DatasetProblemView),
  problems_truncated: z.boolean(),
});

export const DatasetStatsView = z.object({
  count: Count,
  class_counts: ClassCounts,
  mean_image: z.array(z.number()).length(784),
  pixel_histogram: z.array(Count).length(256),
  duplicate_count: Count,
});

export const DatasetSplitView = z.object({
  version: z.literal(1),
  spec: z.object({ method: z.enum(['stratified', 'official']), seed: Count, validation_fraction: z.number(), test_fraction: z.number().optional(), test_start: Count.optional() }),
  dataset_count: Count,
  counts: z.object({ train: Count, validation: Count, test: Count }),
  class_counts: z.object({ train: ClassCounts, validation: ClassCounts, test: ClassCounts }),
  index_hash: z.string(),
});

/** Without the report, stats and split: what a list shows. */
export const DatasetSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  owner_id: z.string().nullable(),
  built_in: z.boolean(),
  format: z.string(),
  status: DatasetStatus,
  size_bytes: Count,
  created_at: z.string(),
  updated_at: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const Dataset = DatasetSummary.extend({
  files: z.array(DatasetFileView),
  report: DatasetReportView.nullable(),
  stats: DatasetStatsView.nullable(),
  split: DatasetSplitView.nullable(),
});
export type Dataset = z.infer<typeof Dataset>;

export const DatasetList = z.object({ items: z.array(DatasetSummary) });
export type DatasetList = z.infer<typeof DatasetList>;

export const DatasetIdParams = z.object({ id: z.uuid() });
