import { z } from 'zod';
import { AdminBatchJob, AdminBatchJobList, BATCH_ARCHIVE_FIELD, BATCH_FILES_FIELD, BatchApiConfig, BatchCreated, BatchIdParams, BatchJob, BatchJobList, BatchListQuery, BatchResultsQuery } from '../batch/batch-http';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/**
 * Batch OCR (inference): every signed-in caller, user or API key, starts and follows its own jobs;
 * another's job is 404, never 403. Admins see every job under /api/admin.
 */
export const BATCH_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/batch', service: 'inference', access: 'viewer', tag: 'batch',
    summary: 'Start a batch: one ZIP in `archive` (folders allowed; their paths are kept as item names) or images in `files` (repeated). Answers at once; the images are read on the `batch` queue, each exactly as /v1/read would read it. Limits: GET /api/admin/batch-config',
    multipart: { fields: {}, files: [BATCH_ARCHIVE_FIELD, BATCH_FILES_FIELD] },
    // The upload is unpacked and its items recorded before the answer: 50,000 images take ~10-15 s
    // on two cores, longer under load, past the gateway's default wait.
    upstreamTimeoutMs: 300_000,
    responses: {
      202: ok('Queued', BatchCreated),
      400: err('validation_failed: no files, both fields, a malformed form; unsafe_archive: an entry named with `..` or an absolute path, or a link (details.entry); invalid_archive: not a readable ZIP, or an entry whose compressed bytes exceed what its declared size allows (details.entry)'),
      401: err('unauthorized: guests cannot start batches'),
      413: err('too_large: the upload, the ZIP\'s uncompressed total or compression ratio (a ZIP bomb), or the image count is over the limit; nothing is kept'),
      429: err('rate_limited: more batch jobs in the last minute than the per-caller limit (Retry-After)'),
    },
  },
  { method: 'get', path: '/api/batch', service: 'inference', access: 'viewer', tag: 'batch', summary: 'The caller\'s batch jobs, newest first', query: BatchListQuery, responses: { 200: ok('The jobs', BatchJobList) } },
  { method: 'get', path: '/api/batch/{id}', service: 'inference', access: 'viewer', tag: 'batch', summary: 'One job: status, processed, failed, images/s, ETA, and its summary once completed', params: BatchIdParams, responses: { 200: ok('The job', BatchJob), 404: err('not_found (also another caller\'s)') } },
  {
    method: 'get', path: '/api/batch/{id}/events', service: 'inference', access: 'viewer', tag: 'batch',
    summary: 'Live progress as server-sent events: `progress` whenever the counts change, then one final `status`; each `data:` is a BatchJobEvent',
    params: BatchIdParams,
    responses: { 200: { description: 'An event stream of BatchJobEvent', contentType: 'text/event-stream' }, 404: err('not_found') },
  },
  {
    method: 'get', path: '/api/batch/{id}/results', service: 'inference', access: 'viewer', tag: 'batch',
    summary: 'The results: by default the ZIP of results.csv, results.json and summary.json (one row per item: name, digit, confidence, top-3, uncertain, or the error code a single upload would get); `format=csv` or `format=json` sends that file alone',
    params: BatchIdParams,
    query: BatchResultsQuery,
    responses: { 200: { description: 'An attachment: application/zip, text/csv (format=csv) or application/json (format=json)', contentType: 'application/zip' }, 404: err('not_found (also another caller\'s, or purged after the retention period)'), 409: err('conflict: the job has not completed (details.status)') },
  },
  { method: 'post', path: '/api/batch/{id}/cancel', service: 'inference', access: 'viewer', tag: 'batch', summary: 'Cancel a queued or running job (owner or admin); a running one stops after its current chunk', params: BatchIdParams, responses: { 200: ok('The job, now cancelled', BatchJob), 404: err('not_found'), 409: err('conflict: the job has already finished') } },
  { method: 'get', path: '/api/admin/batch-jobs', service: 'inference', access: 'admin', tag: 'batch', summary: 'Every batch job, with its owner, newest first', query: BatchListQuery, responses: { 200: ok('The jobs', AdminBatchJobList) } },
  { method: 'get', path: '/api/admin/batch-jobs/{id}', service: 'inference', access: 'admin', tag: 'batch', summary: 'One batch job, with its owner', params: BatchIdParams, responses: { 200: ok('The job', AdminBatchJob), 404: err('not_found') } },
  { method: 'get', path: '/api/admin/batch-config', service: 'inference', access: 'admin', tag: 'batch', summary: 'The API\'s configured limits (batch: images per job, upload and uncompressed sizes, compression ratio, jobs per minute, retention)', responses: { 200: ok('The limits', BatchApiConfig) } },
] as const);
