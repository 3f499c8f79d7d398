import { z } from 'zod';

/**
 * `batch` / `batch.run`: reads every pending item of one batch job (rows in `inference.batch_items`,
 * files under `<DATA_DIR>/batch/<job_id>/in/`). The job row is the record; the payload only names it.
 */
export const BatchRunPayload = z.object({
  job_id: z.uuid(),
  request_id: z.string().nullable(),
  /**
   * `pack`: the items lie in `in/items.pack` + `in/items.index` (a ZIP upload); absent: one file
   * per item, `in/<idx>`. A worker from before packs reads the latter only (every item of a pack
   * job fails there), so workers of both versions must not run side by side during the upgrade.
   */
  layout: z.literal('pack').optional(),
});
export type BatchRunPayload = z.infer<typeof BatchRunPayload>;

/** Items done so far (read or failed), of `total`; `failed` counts the per-item errors among them. */
export const BatchRunProgress = z.object({ processed: z.int().min(0), failed: z.int().min(0), total: z.int().min(0) });
export type BatchRunProgress = z.infer<typeof BatchRunProgress>;

/** How the run ended (or nothing: the counts and the summary are in the job row either way). */
export const BatchRunResult = z.object({ job_id: z.uuid(), status: z.enum(['completed', 'failed', 'cancelled']) }).or(z.void());
export type BatchRunResult = z.infer<typeof BatchRunResult>;
