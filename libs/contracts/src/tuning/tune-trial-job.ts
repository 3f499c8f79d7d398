import { z } from 'zod';

/**
 * `gpu` / `tune-trial`: one trial of a tuning job. Its row (`ml.tuning_trials`) holds the
 * parameters, chosen before it was enqueued; the queue carries only which one to run.
 */
export const TuneTrialPayload = z.object({ tuning_job_id: z.uuid(), trial_index: z.int().nonnegative(), request_id: z.string().nullable() });
export type TuneTrialPayload = z.infer<typeof TuneTrialPayload>;

export const TuneTrialResult = z.object({ status: z.enum(['completed', 'pruned', 'failed', 'cancelled']), value: z.number().nullable() });
export type TuneTrialResult = z.infer<typeof TuneTrialResult>;

/** The BullMQ id of a trial's job: a re-enqueue of the same trial is ignored, and cancel can name it. */
export const tuneTrialJobId = (tuningJobId: string, index: number): string => `tune-${tuningJobId}-${index}`;
