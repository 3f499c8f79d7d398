import { z } from 'zod';
import { JobIdParams, JobListQuery, TrainingJob, TrainingJobList, TrainRequest } from '../training/training-http';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

export const TRAINING_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/models/train', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'Start a training job on the `gpu` queue (two run at once platform-wide); `max_train_samples` trains on the first N training digits only, for quick runs',
    body: TrainRequest,
    responses: {
      202: ok('Queued', TrainingJob),
      400: err('validation_failed: unknown family, hyperparameters the family does not take'),
      404: err('not_found: no such dataset'),
      409: err('conflict: the dataset cannot be trained on (only the built-in `mnist` so far)'),
    },
  },
  { method: 'get', path: '/api/jobs', service: 'trainer', access: 'engineer', tag: 'training', summary: 'Training jobs: one\'s own (all for an admin), newest first', query: JobListQuery, responses: { 200: ok('The jobs', TrainingJobList) } },
  { method: 'get', path: '/api/jobs/{id}', service: 'trainer', access: 'engineer', tag: 'training', summary: 'One job: status, last progress, queue position and ETA while queued, its model version once completed', params: JobIdParams, responses: { 200: ok('The job', TrainingJob), 404: err('not_found (also another engineer\'s)') } },
  { method: 'post', path: '/api/jobs/{id}/cancel', service: 'trainer', access: 'engineer', tag: 'training', summary: 'Cancel a queued or running job (owner or admin); a running one stops within seconds', params: JobIdParams, responses: { 200: ok('The job, now cancelled', TrainingJob), 404: err('not_found'), 409: err('conflict: the job has already finished') } },
  {
    method: 'get', path: '/api/jobs/{id}/events', service: 'trainer', access: 'engineer', tag: 'training',
    summary: 'Live progress as server-sent events (`progress`, then a final `status`); resumable with `Last-Event-ID`',
    params: JobIdParams,
    responses: { 200: { description: 'An event stream; each `data:` line is a TrainJobEvent', contentType: 'text/event-stream' }, 404: err('not_found') },
  },
] as const);
