import { TrainerEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';

/** The trainer service. Its features (and migrations for schema `ml`) arrive with their issues. */
export const trainerService = defineService({
  name: 'trainer',
  env: TrainerEnv,
  port: (c) => c.TRAINER_PORT,
  schema: 'ml',
  migrations: [],
  // Nothing to construct yet: /healthz, /readyz (PostgreSQL, Redis) and /metrics come with every service.
  build: () => ({}),
});
