import type { z } from 'zod';
import { host, port } from './env-types';
import { CommonEnv } from './common';

/** The trainer service (datasets, training jobs); its own settings arrive with its features. */
export const TrainerEnv = CommonEnv.extend({ TRAINER_PORT: port(8083), TRAINER_HOST: host() });
export type TrainerEnv = z.infer<typeof TrainerEnv>;
