import { InferenceEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { BatchWorker } from './batch/batch-worker';
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
    // The `batch` queue's worker: every inference process reads batch images with its own engine.
    const batchWorker = new BatchWorker(ctx, { reader: runtime.reader, queue: runtime.batch.queue, modelReady: () => runtime.active.set !== null, audit: runtime.audit });
    return {
      routes: (app, metrics) => runtime.mount(app, metrics),
      readiness: runtime.readiness(),
      start: async () => {
        runtime.start();
        await batchWorker.start();
      },
      // The worker first: a batch in flight hands its job back before the engine's workers close.
      stop: async () => {
        await batchWorker.stop();
        await runtime.stop();
      },
      queues: [runtime.batch.queue],
      exposes: runtime,
    };
  },
});
