import { z } from 'zod';

/** The multipart fields of `POST /api/batch`: one ZIP in `archive`, or images in `files` (repeated). */
export const BATCH_ARCHIVE_FIELD = 'archive';
export const BATCH_FILES_FIELD = 'files';

export const BatchJobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type BatchJobStatus = z.infer<typeof BatchJobStatus>;
export const FINISHED_BATCH_STATUSES: readonly BatchJobStatus[] = ['completed', 'failed', 'cancelled'];

export const BatchSource = z.enum(['zip', 'files']);
export type BatchSource = z.infer<typeof BatchSource>;

/** A finished job's counts: by digit read ('0'..'9'), by per-item error code, and answers flagged uncertain. */
export const BatchSummary = z.object({
  by_digit: z.record(z.string(), z.int().min(0)),
  by_error: z.record(z.string(), z.int().min(0)),
  uncertain: z.int().min(0),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

/** `POST /api/batch`'s answer (202): the job is stored and queued. */
export const BatchCreated = z.object({ job_id: z.uuid(), status: z.literal('queued'), total_images: z.int().min(1) });
export type BatchCreated = z.infer<typeof BatchCreated>;

const Timestamp = z.iso.datetime({ offset: true });

/** One batch job as its owner sees it: progress while it runs, the summary once completed. */
export const BatchJob = z.object({
  id: z.uuid(),
  status: BatchJobStatus,
  source: BatchSource,
  total_images: z.int().min(0),
  /** Items done (read or failed); `failed` counts the per-item errors among them. */
  processed: z.int().min(0),
  failed: z.int().min(0),
  /** Since the job started; null until it has processed something. */
  images_per_s: z.number().min(0).nullable(),
  /** Seconds left at that rate; null when unknown or finished. */
  eta_s: z.number().min(0).nullable(),
  upload_bytes: z.int().min(0),
  error: z.string().nullable(),
  summary: BatchSummary.nullable(),
  /** True once `GET /api/batch/{id}/results` can answer (completed, and not yet purged). */
  results_available: z.boolean(),
  created_at: Timestamp,
  started_at: Timestamp.nullable(),
  finished_at: Timestamp.nullable(),
  /** When the results (and uploaded images) are purged. */
  expires_at: Timestamp,
  /** Set once the retention job has purged the files; the row stays as the record. */
  purged_at: Timestamp.nullable(),
});
export type BatchJob = z.infer<typeof BatchJob>;

export const BatchJobList = z.object({ jobs: z.array(BatchJob) });
export type BatchJobList = z.infer<typeof BatchJobList>;

/** An admin's view: every job, with who started it (a user id, or `key:<api key id>`). */
export const AdminBatchJob = BatchJob.extend({ owner_id: z.string(), owner_kind: z.enum(['user', 'api_key']) });
export type AdminBatchJob = z.infer<typeof AdminBatchJob>;
export const AdminBatchJobList = z.object({ jobs: z.array(AdminBatchJob) });
export type AdminBatchJobList = z.infer<typeof AdminBatchJobList>;

export const BatchIdParams = z.object({ id: z.uuid() });
export type BatchIdParams = z.infer<typeof BatchIdParams>;

/**
 * Which file of a completed job's results `GET /api/batch/{id}/results` sends: the whole ZIP
 * (results.csv, results.json, summary.json), or one of its tables alone for a spreadsheet or a script.
 */
export const BatchResultsFormat = z.enum(['zip', 'csv', 'json']);
export type BatchResultsFormat = z.infer<typeof BatchResultsFormat>;
export const BatchResultsQuery = z.object({ format: BatchResultsFormat.default('zip') });
export type BatchResultsQuery = z.infer<typeof BatchResultsQuery>;

/** Newest first; `status` filters. */
export const BatchListQuery = z.object({
  status: BatchJobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BatchListQuery = z.infer<typeof BatchListQuery>;

/** The limits `POST /api/batch` applies, from the inference service's configuration. */
export const BatchApiConfig = z.object({
  batch: z.object({
    max_images: z.int().min(1),
    max_upload_bytes: z.int().min(1),
    max_uncompressed_bytes: z.int().min(1),
    /** A ZIP whose uncompressed total is more than this many times its own size is refused as a bomb. */
    max_compression_ratio: z.number().min(1),
    /** One image's limit, as on `/v1/read`; a bigger entry or file becomes the per-item error `too_large`. */
    max_image_bytes: z.int().min(1),
    jobs_per_minute: z.int().min(1),
    retention_days: z.int().min(0),
  }),
});
export type BatchApiConfig = z.infer<typeof BatchApiConfig>;

/** An SSE event of `GET /api/batch/{id}/events`: `progress` while it runs, one final `status`. */
export const BatchJobEvent = z.object({ type: z.enum(['progress', 'status']), job: BatchJob });
export type BatchJobEvent = z.infer<typeof BatchJobEvent>;
