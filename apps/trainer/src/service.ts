import { TrainerEnv } from '@inkwell/config';
import { defineService } from '@inkwell/runtime';
import { buildTrainer } from './app';
import { TRAINER_MIGRATIONS, TRAINER_SCHEMA } from './migrations';

/** The trainer service: datasets (upload, validation on the `cpu` queue, the built-in `mnist`). */
export const trainerService = defineService({
  name: 'trainer',
  env: TrainerEnv,
  port: (c) => c.TRAINER_PORT,
  schema: TRAINER_SCHEMA,
  migrations: TRAINER_MIGRATIONS,
  build: buildTrainer,
});
