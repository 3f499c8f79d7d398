import { z } from 'zod';
import { Activation, ActivationList, ActivationListQuery, PromoteRequest, RollbackRequest } from '../models/activation';
import { ModelIdParams, ModelVersion } from '../models/model-registry';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/**
 * Which versions inference serves: promote, roll back, the activation history, and soft delete.
 * Listed before the registry's `/api/models/{id}` routes, so `/api/models/activations` is matched
 * by its own entry (and access level) at the gateway.
 */
export const ACTIVATION_ROUTES = defineRoutes([
  {
    method: 'get', path: '/api/models/activations', service: 'trainer', access: 'engineer', tag: 'models',
    summary: 'The activation history, newest first: every change of the served set (initial, promote, rollback, apply: a benchmark\'s selected engine) with who, when, from, to, the reason, the gate\'s numbers and the engine settings (`engine`: engine, variant, threads, benchmark id; null: the configured defaults); filters kind, actor (user id or e-mail), since/until; paged',
    query: ActivationListQuery,
    responses: { 200: ok('A page of activations', ActivationList), 400: err('validation_failed') },
  },
  {
    method: 'post', path: '/api/models/rollback', service: 'trainer', access: 'admin', tag: 'models',
    summary: 'Serve again the set that served before the last promotion or benchmark apply not yet undone (each rollback undoes one more), with the engine settings it ran with; recorded, audited and pushed to every inference replica',
    body: RollbackRequest,
    responses: { 200: ok('The rollback\'s activation row', Activation), 409: err('conflict: nothing to roll back, or the earlier set names a version deleted after it served (details.deleted_id)') },
  },
  {
    method: 'post', path: '/api/models/{id}/promote', service: 'trainer', access: 'admin', tag: 'models',
    summary:
      'Make the version (or, with `ensemble_with`, an ensemble of versions, probabilities averaged) what `/v1/read` and `/api/predict` serve, on every inference replica. A gate runs first: the candidate\'s test accuracy (an ensemble\'s is computed from its members\' ONNX files) must be at least TRAINER_PROMOTE_MIN_ACCURACY and at most TRAINER_PROMOTE_MAX_DROP below the serving set\'s; a refused promotion needs `force: true` and a `reason`. Only versions tested on `mnist:test` can be promoted (`/v1/read` serves MNIST-style digits; an accuracy measured on an uploaded dataset\'s split does not compare with the serving set\'s), and force does not override that. Each version is checked again under the lock, so one deleted meanwhile is refused. Recorded and audited',
    params: ModelIdParams,
    body: PromoteRequest,
    responses: {
      200: ok('The activation row (with the gate\'s numbers)', Activation),
      400: err('validation_failed: e.g. `force` without a `reason`'),
      404: err('not_found: no such version (also one named in ensemble_with)'),
      409: err('gate_refused as `conflict` with the gate in `details.gate`; or a version that is not ready (evaluating, failed, deleted, also one deleted while the promotion waited), already serving exactly this set, or tested on another test set than `mnist:test` (details.test_set; not overridable by force)'),
    },
  },
  {
    method: 'delete', path: '/api/models/{id}', service: 'trainer', access: 'admin', tag: 'models',
    summary: 'Soft-delete a version: hidden from the default listing, kept for history; never one that serves now (alone or in the active ensemble). Audited',
    params: ModelIdParams,
    responses: { 200: ok('The version, now `deleted`', ModelVersion), 404: err('not_found'), 409: err('conflict: the version serves now') },
  },
] as const);
