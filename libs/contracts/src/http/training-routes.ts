import { z } from 'zod';
import { JobIdParams, JobListQuery, TrainingJob, TrainingJobList, TrainRequest } from '../training/training-http';
import { FamilyList, FamilyNameParams, FamilyView } from '../training/families';
import { TrainingHistory, TrainingHistoryQuery } from '../training/history';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

export const TRAINING_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/models/train', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'Start a training job on the `gpu` queue (two run at once platform-wide); `dataset_id`: `mnist` or a `ready` uploaded dataset, trained on its stored split; `max_train_samples` trains on the first N training digits only (a seeded pick), for quick runs',
    body: TrainRequest,
    responses: {
      202: ok('Queued', TrainingJob),
      400: err('validation_failed: unknown family, hyperparameters the family does not take'),
      404: err('not_found: no such dataset (also another engineer\'s, or a deleted one)'),
      409: err('conflict: the dataset is not `ready` (still validating, or invalid; details name its status), or the family is not available (unregistered or unavailable; see GET /api/families)'),
    },
  },
  { method: 'get', path: '/api/jobs', service: 'trainer', access: 'engineer', tag: 'training', summary: 'Training jobs: one\'s own (all for an admin), newest first; filters `status`, `family`, `owner` (a user id: an admin\'s filter; an engineer naming another gets an empty list)', query: JobListQuery, responses: { 200: ok('The jobs', TrainingJobList) } },
  { method: 'get', path: '/api/jobs/{id}', service: 'trainer', access: 'engineer', tag: 'training', summary: 'One job: status, last progress, queue position and ETA while queued, its model version once completed', params: JobIdParams, responses: { 200: ok('The job', TrainingJob), 404: err('not_found (also another engineer\'s)') } },
  { method: 'post', path: '/api/jobs/{id}/cancel', service: 'trainer', access: 'engineer', tag: 'training', summary: 'Cancel a queued or running job (owner or admin); a running one stops within seconds', params: JobIdParams, responses: { 200: ok('The job, now cancelled', TrainingJob), 404: err('not_found'), 409: err('conflict: the job has already finished') } },
  {
    method: 'get', path: '/api/jobs/{id}/events', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'Live progress as server-sent events (`progress`, then a final `status`); resumable with `Last-Event-ID`',
    params: JobIdParams,
    responses: { 200: { description: 'An event stream; each `data:` line is a TrainJobEvent', contentType: 'text/event-stream' }, 404: err('not_found') },
  },
  {
    method: 'get', path: '/api/families', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'The model families: each one\'s description, default hyperparameters, JSON Schema of its hyperparameters and status (available, unavailable: in the table only, unregistered: in code only)',
    responses: { 200: ok('The families', FamilyList) },
  },
  {
    method: 'post', path: '/api/families/{name}/register', service: 'trainer', access: 'admin', tag: 'training',
    summary: 'Register a family the trainer\'s code has but the families table lacks (or make it available again); audited',
    params: FamilyNameParams,
    responses: { 200: ok('The family, now available', FamilyView) },
  },
  {
    method: 'get', path: '/api/training-history', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'Training history, one row per job (one\'s own; all for an admin), newest first: hyperparameters, status, timestamps, duration and the model version\'s accuracy, macro F1 and log loss. `format=csv` downloads the same rows as CSV (a header line; hyperparameters as one JSON cell)',
    query: TrainingHistoryQuery,
    responses: { 200: ok('The history (`format=json`, the default); with `format=csv` a text/csv attachment of the same columns', TrainingHistory) },
  },
] as const);
