import { InferenceEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { runtimeOf } from './inference-runtime';
import { INFERENCE_MIGRATIONS, INFERENCE_SCHEMA } from './migrations';

/**
 * The inference service: `/v1/read`, `/api/predict`, `/v1/models/active`, `/v1/version`, and the
 * internal hot-swap `/internal/models/reload`. Ready only once a model set is loaded and warm.
 */
export const inferenceService = defineService({
  name: 'inference',
  env: InferenceEnv,
  port: (c) => c.INFERENCE_PORT,
  schema: INFERENCE_SCHEMA,
  migrations: INFERENCE_MIGRATIONS,
  background: (ctx) => runtimeOf(ctx).start(),
  routes: (app, ctx, metrics) => runtimeOf(ctx).mount(app, metrics),
  readiness: (ctx) => runtimeOf(ctx).readiness(),
});
