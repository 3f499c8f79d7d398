import { type TrialRow, type TuningJobRow } from './tuning.store';
import { TuningJob, type TuningBest, type TuningTrial } from '@inkwell/contracts';

const TuningStudy = TuningJob.omit({ trials: true });
type TuningStudy = Omit<TuningJob, 'trials'>;

export function trialView(t: TrialRow): TuningTrial {
  return {
    index: t.index,
    params: t.params,
    status: t.status,
    val_accuracy: t.val_accuracy,
    value: t.value,
    pruned_at_epoch: t.pruned_at_epoch,
    error: t.error,
    started_at: t.started_at?.toISOString() ?? null,
    finished_at: t.finished_at?.toISOString() ?? null,
  };
}

/** The best finished trial: highest validation accuracy, ties to the lower index (never finishing order). */
export function bestOf(job: TuningJobRow, trials: readonly TrialRow[]): TuningBest | null {
  let best: TrialRow | null = null;
  for (const t of trials) {
    if (t.status !== 'completed' || t.value === null || !t.test_metrics) continue;
    if (!best || t.value > (best.value ?? -Infinity) || (t.value === best.value && t.index < best.index)) best = t;
  }
  if (!best?.test_metrics || best.value === null) return null;
  return { trial: best.index, params: best.params, hyperparameters: { ...job.request.base_hyperparameters, ...best.params }, value: best.value, test_metrics: best.test_metrics };
}

export function jobView(job: TuningJobRow, trials: readonly TrialRow[]): TuningJob {
  return TuningJob.parse({ ...studyFields(job, bestOf(job, trials)), trials: trials.map(trialView) });
}

/** The study without its trial rows: what a list or a page of thousands of trials shows above them. */
export function studyView(job: TuningJobRow, best: TrialRow | null): TuningStudy {
  return TuningStudy.parse(studyFields(job, best ? bestOf(job, [best]) : null));
}

function studyFields(job: TuningJobRow, best: TuningBest | null): Omit<TuningJob, 'trials'> {
  const r = job.request;
  return {
    id: job.id,
    owner_id: job.owner_id,
    family: job.family,
    dataset_id: job.dataset_id,
    from_version_id: job.from_version_id,
    base_hyperparameters: r.base_hyperparameters,
    space: r.space,
    method: r.method,
    budget: r.budget,
    objective: r.objective,
    seed: r.seed,
    epochs: r.epochs,
    max_train_samples: r.max_train_samples,
    status: job.status,
    error: job.error,
    best,
    result: job.result,
    kept_version_id: job.kept_version_id,
    discarded: job.discarded_at !== null,
    created_at: job.created_at.toISOString(),
    started_at: job.started_at?.toISOString() ?? null,
    finished_at: job.finished_at?.toISOString() ?? null,
  };
}
