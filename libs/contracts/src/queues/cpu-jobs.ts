import { z } from 'zod';

const Id = z.string().min(1).max(200);

/** `cpu` / `validate-dataset`: checks an uploaded dataset; the full report goes to PostgreSQL, not the queue. */
export const ValidateDatasetPayload = z.object({ dataset_id: Id, request_id: z.string().nullable() });
export type ValidateDatasetPayload = z.infer<typeof ValidateDatasetPayload>;

export const ValidateDatasetProgress = z.object({ items_checked: z.int().min(0), items_total: z.int().min(0).nullable() });
export type ValidateDatasetProgress = z.infer<typeof ValidateDatasetProgress>;

/** The summary counts; problems by kind (wrong_shape, label_out_of_range, non_numeric, unreadable_image, duplicate, ...). */
export const ValidateDatasetResult = z.object({
  dataset_id: Id,
  valid: z.boolean(),
  items: z.int().min(0),
  problems: z.int().min(0),
  problems_by_kind: z.record(z.string(), z.int().min(0)),
});
export type ValidateDatasetResult = z.infer<typeof ValidateDatasetResult>;

/** `cpu` / `evaluate-model`: scores a registered model version's ONNX file on its test split and stores the results. */
export const EvaluateModelPayload = z.object({ model_version_id: z.uuid(), request_id: z.string().nullable() });
export type EvaluateModelPayload = z.infer<typeof EvaluateModelPayload>;

export const EvaluateModelResult = z.object({ model_version_id: z.uuid(), status: z.enum(['ready', 'failed', 'skipped']), accuracy: z.number().min(0).max(1).nullable() });
export type EvaluateModelResult = z.infer<typeof EvaluateModelResult>;
