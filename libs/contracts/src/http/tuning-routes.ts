import { z } from 'zod';
import { TuneVersionParams, TuneVersionRequest, TuningIdParams, TuningJob, TuningJobList, TuningRequest } from '../tuning/tuning-http';
import { TuningSpaces, TuningSummary, TuningTrialPage, TuningTrialsQuery } from '../tuning/tuning-pages';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });
const notFound = err('not_found (also another engineer\'s study)');

export const TUNING_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/tuning', service: 'trainer', access: 'engineer', tag: 'tuning',
    summary: 'Start a hyperparameter study from scratch: trials are `tune-trial` jobs on the `gpu` queue, ranked by validation accuracy (never the test split); `space` defaults to the family\'s default space',
    body: TuningRequest,
    responses: { 202: ok('Queued', TuningJob), 400: err('validation_failed: a space, method or hyperparameters the family does not take'), 409: err('conflict: the dataset cannot be tuned on, or the family is not available') },
  },
  {
    method: 'post', path: '/api/models/{id}/tune', service: 'trainer', access: 'engineer', tag: 'tuning',
    summary: 'Start a study from a trained version: its family, dataset and hyperparameters are the start, and the result compares the best trial with it',
    params: TuneVersionParams,
    body: TuneVersionRequest,
    responses: { 202: ok('Queued', TuningJob), 400: err('validation_failed'), 404: err('not_found: no such version'), 409: err('conflict: the version was not trained here (built-in or imported) or is not evaluated yet') },
  },
  { method: 'get', path: '/api/tuning', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'Tuning studies: one\'s own (all for an admin), newest first', responses: { 200: ok('The studies', TuningJobList) } },
  { method: 'get', path: '/api/tuning/spaces', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'Each family\'s default search space (what a study searches when its request names no `space`)', responses: { 200: ok('The default spaces', TuningSpaces) } },
  {
    method: 'get', path: '/api/tuning/{id}/trials', service: 'trainer', access: 'engineer', tag: 'tuning',
    summary: 'One page of a study\'s trials, by index or by objective (`sort=value`: trials without a value last)',
    params: TuningIdParams,
    query: TuningTrialsQuery,
    responses: { 200: ok('The page and the total', TuningTrialPage), 400: err('validation_failed: a bad offset, limit, sort or order'), 404: notFound },
  },
  {
    method: 'get', path: '/api/tuning/{id}/summary', service: 'trainer', access: 'engineer', tag: 'tuning',
    summary: 'A study for its page: everything but the trial rows, trial counts per state, every trial\'s index, status, objective and parameters as columns (numbers for the plots), and per-generation fitness for genetic search',
    params: TuningIdParams,
    responses: { 200: ok('The summary', TuningSummary), 404: notFound },
  },
  { method: 'get', path: '/api/tuning/{id}', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'One study: every trial (parameters, status, validation accuracy per epoch, pruned or not), best so far, and once finished the result (before/after comparison, parameter importance)', params: TuningIdParams, responses: { 200: ok('The study', TuningJob), 404: notFound } },
  {
    method: 'get', path: '/api/tuning/{id}/events', service: 'trainer', access: 'engineer', tag: 'tuning',
    summary: 'Live progress as server-sent events (`trial`, `best`, then a final `status`); resumable with `Last-Event-ID`',
    params: TuningIdParams,
    responses: { 200: { description: 'An event stream; each `data:` line is a TuningEvent', contentType: 'text/event-stream' }, 404: notFound },
  },
  { method: 'post', path: '/api/tuning/{id}/cancel', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'Cancel a study: waiting trials leave the queue, running ones stop within seconds', params: TuningIdParams, responses: { 200: ok('The study, now cancelled', TuningJob), 404: notFound, 409: err('conflict: the study has already finished') } },
  { method: 'post', path: '/api/tuning/{id}/keep', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'Register the best trial\'s model as a model version (once)', params: TuningIdParams, responses: { 200: ok('The study, with `kept_version_id`', TuningJob), 404: notFound, 409: err('conflict: not completed, no best trial, already kept or discarded') } },
  { method: 'post', path: '/api/tuning/{id}/discard', service: 'trainer', access: 'engineer', tag: 'tuning', summary: 'Delete the trials\' model files (a kept version stays); the study\'s record stays', params: TuningIdParams, responses: { 200: ok('The study, `discarded`', TuningJob), 404: notFound, 409: err('conflict: the study is still running') } },
] as const);
