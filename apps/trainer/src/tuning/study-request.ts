import { z } from 'zod';
import { SearchSpace, TuningBudget, TuningMethod, TuningObjective } from '@inkwell/contracts';

/** A study's request as stored (`tuning_jobs.request`): every default filled in, the space resolved. */
export const StudyRequest = z.object({
  space: SearchSpace,
  method: TuningMethod,
  budget: TuningBudget,
  objective: TuningObjective,
  seed: z.int(),
  epochs: z.int(),
  max_train_samples: z.int().nullable(),
  base_hyperparameters: z.record(z.string(), z.json()),
  /** Absent on studies stored before the toggle existed: those always pruned. */
  pruning: z.boolean().default(true),
});
export type StudyRequest = z.infer<typeof StudyRequest>;
