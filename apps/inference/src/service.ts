import { InferenceEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';

/** The inference service. Its features (and migrations for schema `inference`) arrive with their issues. */
export const inferenceService = defineService({
  name: 'inference',
  env: InferenceEnv,
  port: (c) => c.INFERENCE_PORT,
  schema: 'inference',
  migrations: [],
});
