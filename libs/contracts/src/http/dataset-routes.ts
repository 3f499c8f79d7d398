import { z } from 'zod';
import { Dataset, DatasetIdParams, DatasetList, DatasetUploadFields, DATASET_FILE_FIELD } from '../datasets/datasets-http';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

export const DATASET_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/datasets', service: 'trainer', access: 'engineer', tag: 'datasets',
    summary: 'Upload a dataset: repeat `files` once (CSV, ZIP of class folders) or twice (IDX pair, NPY pair); validated in the background',
    multipart: { fields: DatasetUploadFields.shape, files: [DATASET_FILE_FIELD] },
    responses: {
      202: ok('Accepted and stored; status `validating` until the report is ready', Dataset),
      400: err('validation_failed: missing fields, half a pair, a CSV or ZIP laid out wrongly'),
      413: err('too_large: the files exceed TRAINER_MAX_DATASET_BYTES'),
      415: err('unsupported_media_type: not a dataset format (details.expected lists them)'),
    },
  },
  { method: 'get', path: '/api/datasets', service: 'trainer', access: 'engineer', tag: 'datasets', summary: 'Datasets one may use: one\'s own (all for an admin) and the built-ins', responses: { 200: ok('The datasets', DatasetList) } },
  { method: 'get', path: '/api/datasets/{id}', service: 'trainer', access: 'engineer', tag: 'datasets', summary: 'One dataset with its validation report, statistics and split', params: DatasetIdParams, responses: { 200: ok('The dataset', Dataset), 404: err('not_found (also another engineer\'s)') } },
  { method: 'delete', path: '/api/datasets/{id}', service: 'trainer', access: 'engineer', tag: 'datasets', summary: 'Delete a dataset (soft; owner or admin)', params: DatasetIdParams, responses: { 204: ok('Deleted'), 404: err('not_found'), 409: err('conflict: a built-in dataset, or a queued or running training job uses it (details: job_id, job_status)') } },
] as const);
