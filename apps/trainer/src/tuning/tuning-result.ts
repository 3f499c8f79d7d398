import { join } from 'node:path';
import { ModelComparisonView, type TuningResult } from '@inkwell/contracts';
import { compareClassifiers } from '@inkwell/ml-eval';
import { parameterImportance } from '@inkwell/tuning';
import type { ModelVersionsStore } from '../models/model-versions.store';
import { readRegistryArtifact } from '../models/registry-artifact';
import { MNIST_TEST_SET, type TestSets } from '../models/test-sets';
import { asTrial } from './tuning-planner';
import type { TrialRow, TuningJobRow } from './tuning.store';
import { bestOf } from './tuning-view';

/** Importance needs a few rated trials to say anything. */
const MIN_TRIALS_FOR_IMPORTANCE = 3;

export interface ResultDeps {
  readonly versions: ModelVersionsStore;
  readonly testSets: TestSets;
  readonly dataDir: string;
}

/**
 * A finished study's result: the best trial, the before/after comparison (the registry's compare:
 * the starting version as `a`, the best trial's model as `b`, image by image on the test split)
 * and each searched parameter's importance. A study from scratch has no starting version: its
 * comparison is null, and the note says so.
 */
export async function studyResult(deps: ResultDeps, job: TuningJobRow, trials: readonly TrialRow[]): Promise<TuningResult> {
  const best = bestOf(job, trials);
  const rated = trials.filter((t) => t.status === 'completed').map(asTrial);
  const importance = rated.length >= MIN_TRIALS_FOR_IMPORTANCE ? Object.fromEntries(parameterImportance(job.request.space, rated, job.request.seed).map((p) => [p.param, p.importance])) : null;
  const base = { best, importance };
  if (!best) return { ...base, comparison: null, comparison_note: 'no trial completed' };
  if (!job.from_version_id) return { ...base, comparison: null, comparison_note: 'a study from scratch has no starting version to compare with; POST /api/models/{id}/tune compares with the version it starts from' };
  const bestRow = trials.find((t) => t.index === best.trial);
  const [before, beforePredictions] = await Promise.all([deps.versions.find(job.from_version_id), deps.versions.testPredictions(job.from_version_id)]);
  if (!before?.evaluation || !beforePredictions || !bestRow?.artifact_path) return { ...base, comparison: null, comparison_note: 'the starting version has no stored evaluation to compare with' };
  if (before.view.test_set !== MNIST_TEST_SET) return { ...base, comparison: null, comparison_note: `the starting version was tested on ${before.view.test_set}, the trials on ${MNIST_TEST_SET}` };
  const after = await readRegistryArtifact(join(deps.dataDir, bestRow.artifact_path));
  const labels = await deps.testSets.digits(MNIST_TEST_SET);
  if (!after.evaluation || !after.predictions || !labels) return { ...base, comparison: null, comparison_note: 'the best trial\'s model has no test predictions' };
  const cmp = compareClassifiers(labels.labels, beforePredictions.predictions, after.predictions, before.evaluation, after.evaluation);
  const comparison = ModelComparisonView.parse({
    a: { id: before.view.id, name: before.view.name, accuracy: before.evaluation.accuracy },
    b: { id: bestRow.model_id, name: `tuning ${job.id.slice(0, 8)} trial ${bestRow.index}`, accuracy: after.evaluation.accuracy },
    test_set: MNIST_TEST_SET,
    ...cmp,
  });
  return { ...base, comparison, comparison_note: null };
}
