import type { TypedHandlers } from '@inkwell/queue';
import { validateDatasetJob, type ValidateDeps } from './datasets/dataset-validate.job';
import { trainRunJob, type TrainRunDeps } from './jobs/train-run.job';

/** The trainer's handler table for the `cpu` queue: a job name without a handler fails at start. */
export function cpuHandlers(deps: ValidateDeps): TypedHandlers<'cpu'> {
  return {
    'validate-dataset': (payload, ctx) => validateDatasetJob(deps, payload, ctx),
  };
}

/** The trainer's handler table for the `gpu` queue. */
export function gpuHandlers(deps: TrainRunDeps): TypedHandlers<'gpu'> {
  return {
    train: (payload, ctx) => trainRunJob(deps, payload, ctx),
  };
}
