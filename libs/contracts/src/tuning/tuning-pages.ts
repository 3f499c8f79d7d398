import { z } from 'zod';
import { TrainFamily } from '../queues/gpu-jobs';
import { TrialStatus, TuningJob, TuningTrial } from './tuning-http';
import { SearchSpace, TuningParamValue } from './tuning-space';

/*
 * The tuning pages' reads, sized for a study of thousands of trials: a page of trials for the
 * table, and one compact columnar summary (numbers only) for the plots. `GET /api/tuning/{id}`
 * stays the complete record for API users.
 */

/** `GET /api/tuning/{id}/trials`: `sort=value` ranks by the objective (trials without one last, whatever the order). */
export const TuningTrialsQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(['index', 'value']).default('index'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type TuningTrialsQuery = z.infer<typeof TuningTrialsQuery>;

export const TuningTrialPage = z.object({ items: z.array(TuningTrial), total: z.int().nonnegative(), offset: z.int().nonnegative(), limit: z.int().positive() });
export type TuningTrialPage = z.infer<typeof TuningTrialPage>;

/** A genetic study's fitness per generation: best and mean objective over that generation's population (elites included). */
export const TuningGeneration = z.object({ generation: z.int().nonnegative(), trial_indices: z.array(z.int().nonnegative()), best: z.number().nullable(), mean: z.number().nullable() });
export type TuningGeneration = z.infer<typeof TuningGeneration>;

/**
 * Every trial as columns of the same length, in index order: `value` null until rated, a
 * parameter's column null where the trial had no such parameter (a condition left it out).
 */
export const TuningTrialColumns = z.object({
  index: z.array(z.int().nonnegative()),
  status: z.array(TrialStatus),
  value: z.array(z.number().nullable()),
  params: z.record(z.string(), z.array(TuningParamValue.nullable())),
});
export type TuningTrialColumns = z.infer<typeof TuningTrialColumns>;

/** `GET /api/tuning/{id}/summary`: the study without its trial rows, how many trials are in each state, the columns for the plots. */
export const TuningSummary = z.object({
  study: TuningJob.omit({ trials: true }),
  counts: z.record(TrialStatus, z.int().nonnegative()),
  columns: TuningTrialColumns,
  /** Genetic studies only; null otherwise. */
  generations: z.array(TuningGeneration).nullable(),
});
export type TuningSummary = z.infer<typeof TuningSummary>;

/** `GET /api/tuning/spaces`: each family's default search space (what a study searches when the request names none). */
export const TuningSpaces = z.object({ items: z.array(z.object({ family: TrainFamily, space: SearchSpace })) });
export type TuningSpaces = z.infer<typeof TuningSpaces>;
