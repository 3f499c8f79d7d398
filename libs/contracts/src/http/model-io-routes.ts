import { z } from 'zod';
import { ModelComparisonView, ModelCompareQuery, ModelImportFields, ModelImportResult, MODEL_IMPORT_FILE_FIELD } from '../models/model-io';
import { ModelMisreads, ModelMisreadsQuery } from '../models/model-misreads';
import { ModelIdParams } from '../models/model-registry';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType, contentType?: string) => ({ description, ...(schema ? { schema } : {}), ...(contentType ? { contentType } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/**
 * Compare, export and import of model versions. Listed before the registry's `/api/models/{id}`
 * routes, so `/api/models/compare` and `/api/models/import` match their own entries at the gateway.
 */
export const MODEL_IO_ROUTES = defineRoutes([
  {
    method: 'get', path: '/api/models/compare', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'Two versions side by side on their shared test set: metric deltas (B − A), both confusion matrices and their difference, per digit the images only one gets right, and McNemar\'s test of whether the accuracy difference is real',
    query: ModelCompareQuery,
    responses: {
      200: ok('The comparison', ModelComparisonView),
      400: err('validation_failed: a or b is not a version id'),
      404: err('not_found'),
      409: err('conflict: the two were tested on different test sets (details: a_test_set, b_test_set), or one is not evaluated yet'),
    },
  },
  {
    method: 'get', path: '/api/models/{id}/misreads', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'The test images behind one cell of the version\'s confusion matrix (`true` row, `predicted` column; equal digits: the ones it read correctly), from its stored per-image predictions: their test-set indices and 28x28 PNGs (base64), the first `limit` (default 50, at most 200) in test-set order, and how many there are in all',
    params: ModelIdParams,
    query: ModelMisreadsQuery,
    responses: {
      200: ok('The images', ModelMisreads),
      400: err('validation_failed: a digit outside 0..9 or a limit outside 1..200'),
      404: err('not_found'),
      409: err('conflict: the version is not evaluated yet (or failed), or its test set cannot be loaded any more'),
    },
  },
  {
    method: 'get', path: '/api/models/{id}/export', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'A ZIP of model.onnx, manifest.json and metrics.json (stored, not deflated), with its exact size in Content-Length; HEAD gives the same headers without the body. Load model.onnx with onnxruntime (see the README)',
    params: ModelIdParams,
    responses: { 200: ok('The ZIP', undefined, 'application/zip'), 404: err('not_found'), 409: err('conflict: the version is not evaluated yet, so it has no metrics to export') },
  },
  {
    method: 'post', path: '/api/models/import', service: 'trainer', access: 'engineer', tag: 'models',
    summary: 'Upload an ONNX model (up to TRAINER_MAX_IMPORT_BYTES, 1 GiB, streamed). Checked in order (size, parse, external data, opset, custom operators, one float32 input [N,1,28,28] or [N,784], one [N,10] output, a run on 100 MNIST test digits), then registered as an `imported` version and evaluated on the MNIST test split like a trained model. One import at a time per trainer process (another is 503 with Retry-After): the checks and the rewrite hold the model in memory about 4 times (up to about 6 with float_data weights), so the 1 GiB cap needs 4 to 6 GiB of trainer memory',
    multipart: { fields: ModelImportFields.shape, files: [MODEL_IMPORT_FILE_FIELD] },
    responses: {
      202: ok('Accepted; the version is `evaluating` until its test-split metrics are computed', ModelImportResult),
      400: err('invalid_model: a check failed; the message starts with the check\'s name and details.check names it (parse, external_data, opset, custom_operator, input, output, smoke_run); validation_failed: not multipart, no file'),
      413: err('too_large: over TRAINER_MAX_IMPORT_BYTES (details.check = size)'),
      503: err('service_unavailable: another import is running in this trainer (details.reason = import_in_progress; Retry-After says when to try again)'),
    },
  },
] as const);
