import { z } from 'zod';
import { PresetModelList } from '../models/model-presets';
import { ConfusionMatrixView, ModelIdParams, ModelList, ModelListQuery, ModelMetrics, ModelVersion, RocCurveView } from '../models/model-registry';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });
const notReady = err('conflict: the version is still being evaluated on its test split (or its evaluation failed); try again shortly');

/**
 * The model registry. Every signed-in user reads every version (models are shared; only training
 * jobs and datasets are private to their owner). `{id}` is a uuid, so these never shadow
 * `/api/models/train` or other fixed paths under `/api/models/`.
 */
export const MODEL_ROUTES = defineRoutes([
  {
    method: 'get', path: '/api/models', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'Model versions (trained, the shipped defaults registered at start as `builtin`, imported), with their test-split metrics; filter by family, status (default: all but deleted), source, active; sort by accuracy or created_at; paged',
    query: ModelListQuery,
    responses: { 200: ok('A page of versions', ModelList), 400: err('validation_failed') },
  },
  {
    method: 'get', path: '/api/models/presets', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'The preset architectures (LeNet-5, ResNet-18 for one-channel 28x28): specification, parameter count, input/output shapes, and the registered version with seeded, untrained weights to benchmark (never promotable); train one with POST /api/models/train and the family of the same name',
    responses: { 200: ok('The presets', PresetModelList) },
  },
  { method: 'get', path: '/api/models/{id}', service: 'trainer', access: 'viewer', tag: 'models', summary: 'One model version: provenance, artifact (size, sha256), status and metrics', params: ModelIdParams, responses: { 200: ok('The version', ModelVersion), 404: err('not_found') } },
  {
    method: 'get', path: '/api/models/{id}/metrics', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'Accuracy, precision/recall/F1 per digit and macro/weighted, ECE with its reliability bins, log loss, the number of test digits and which test set: computed from the ONNX file on the test split',
    params: ModelIdParams,
    responses: { 200: ok('The metrics', ModelMetrics), 404: err('not_found'), 409: notReady },
  },
  { method: 'get', path: '/api/models/{id}/confusion-matrix', service: 'trainer', access: 'viewer', tag: 'models', summary: '10x10 confusion counts on the test split (rows: true digit) and the row-normalised matrix', params: ModelIdParams, responses: { 200: ok('The matrix', ConfusionMatrixView), 404: err('not_found'), 409: notReady } },
  {
    method: 'get', path: '/api/models/{id}/roc-curve', service: 'trainer', access: 'viewer', tag: 'models',
    summary: 'One-vs-rest ROC curve per digit plus micro and macro averages, each with its exact AUC (curves downsampled to at most 200 points)',
    params: ModelIdParams,
    responses: { 200: ok('The curves', RocCurveView), 404: err('not_found'), 409: notReady },
  },
] as const);
