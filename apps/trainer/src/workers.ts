import type { TypedHandlers } from '@inkwell/queue';
import { benchmarkRunJob, type BenchmarkRunDeps } from './benchmarks/benchmark-run.job';
import { validateDatasetJob, type ValidateDeps } from './datasets/dataset-validate.job';
import { trainRunJob, type TrainRunDeps } from './jobs/train-run.job';
import { evaluateModelJob, type EvaluateModelDeps } from './models/evaluate-model.job';
import { tuneTrialJob, type TuneTrialDeps } from './tuning/tune-trial.job';

/** The trainer's handler table for the `cpu` queue: a job name without a handler fails at start. */
export function cpuHandlers(deps: ValidateDeps & EvaluateModelDeps): TypedHandlers<'cpu'> {
  return {
    'validate-dataset': (payload, ctx) => validateDatasetJob(deps, payload, ctx),
    'evaluate-model': (payload, ctx) => evaluateModelJob(deps, payload, ctx),
  };
}

/** The trainer's handler table for the `gpu` queue. */
export function gpuHandlers(deps: TrainRunDeps, tuning: TuneTrialDeps, benchmarks: BenchmarkRunDeps): TypedHandlers<'gpu'> {
  return {
    train: (payload, ctx) => trainRunJob(deps, payload, ctx),
    'tune-trial': (payload, ctx) => tuneTrialJob(tuning, payload, ctx),
    'benchmark.run': (payload, ctx) => benchmarkRunJob(benchmarks, payload, ctx),
  };
}
