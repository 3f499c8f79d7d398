import { InferenceEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { InferenceRuntime } from './inference-runtime';
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
  build: (ctx) => {
    const runtime = new InferenceRuntime(ctx);
    return {
      routes: (app, metrics) => runtime.mount(app, metrics),
      readiness: runtime.readiness(),
      start: () => runtime.start(),
      stop: () => runtime.stop(),
      exposes: runtime,
    };
  },
});
