import { join } from 'node:path';
import { AppError, type ModelCompareQuery, ModelComparisonView, type ModelEvaluation, type ModelMisreads, type ModelMisreadsQuery, type ModelVersion } from '@inkwell/contracts';
import { digitAt } from '@inkwell/ml-data';
import { compareClassifiers } from '@inkwell/ml-eval';
import { type ModelZip, planModelZip } from '@inkwell/model-artifacts';
import { encodeGrayPng } from './gray-png';
import type { ModelVersionsStore, StoredVersion } from './model-versions.store';
import type { TestSets } from './test-sets';

/**
 * Compare and export: read-only views of registered versions that need more than one row
 * (the test set's labels, two versions' per-image predictions) or the artifact folder.
 */
export class ModelCompareService {
  constructor(
    private readonly versions: ModelVersionsStore,
    /** Artifact paths in the registry are relative to it. */
    private readonly dataDir: string,
    /** The labels the stored predictions are paired with: MNIST's test file or an uploaded dataset's test part. */
    private readonly testSets: TestSets,
  ) {}

  async compare(q: ModelCompareQuery): Promise<ModelComparisonView> {
    const [a, b] = await Promise.all([this.found(q.a), this.found(q.b)]);
    // McNemar's test pairs image with image: numbers from two different test sets do not compare.
    if (a.view.test_set !== b.view.test_set) {
      throw new AppError('conflict', `Versions ${q.a} and ${q.b} were tested on different test sets (${a.view.test_set} and ${b.view.test_set}); they can only be compared on the same one`, {
        a_test_set: a.view.test_set,
        b_test_set: b.view.test_set,
      });
    }
    const testSet = a.view.test_set;
    const [ea, eb] = [evaluated(a), evaluated(b)];
    const [pa, pb] = await Promise.all([this.versions.testPredictions(q.a), this.versions.testPredictions(q.b)]);
    if (!pa || !pb) throw new AppError('conflict', `The per-image predictions of both versions on ${testSet} are needed; one is missing`);
    const set = await this.testSets.digits(testSet);
    if (!set) throw new AppError('conflict', `The test set ${testSet} cannot be loaded: its dataset was deleted or re-split`, { test_set: testSet });
    if (pa.predictions.length !== set.count || pb.predictions.length !== set.count) {
      throw new AppError('conflict', `Stored predictions do not cover the ${set.count} images of ${testSet}`);
    }
    const cmp = compareClassifiers(set.labels, pa.predictions, pb.predictions, ea, eb);
    return ModelComparisonView.parse({ a: ref(a.view, ea), b: ref(b.view, eb), test_set: testSet, ...cmp });
  }

  /**
   * The test images of one confusion-matrix cell: those whose label is `q.true` and which the
   * version read as `q.predicted`, found from its stored per-image predictions (no model run).
   */
  async misreads(id: string, q: ModelMisreadsQuery): Promise<ModelMisreads> {
    const v = await this.found(id);
    const stored = await this.versions.testPredictions(id);
    if (!stored) throw new AppError('conflict', `Model version ${id} has no per-image predictions on its test set (${v.view.status}); try again once it is evaluated`, { status: v.view.status });
    const set = await this.testSets.digits(stored.testSet);
    if (!set) throw new AppError('conflict', `The test set ${stored.testSet} cannot be loaded: its dataset was deleted or re-split`, { test_set: stored.testSet });
    if (stored.predictions.length !== set.count) throw new AppError('conflict', `Stored predictions do not cover the ${set.count} images of ${stored.testSet}`);
    const items: ModelMisreads['items'] = [];
    let total = 0;
    for (let i = 0; i < set.count; i++) {
      if (set.labels[i] !== q.true || stored.predictions[i] !== q.predicted) continue;
      total++;
      if (items.length < q.limit) items.push({ index: i, png_b64: encodeGrayPng(asInk(digitAt(set, i)), set.cols, set.rows).toString('base64') });
    }
    return { test_set: stored.testSet, true: q.true, predicted: q.predicted, total, items };
  }

  /** The version's export, sized before streaming (GET and HEAD). */
  async exportZip(id: string): Promise<{ zip: ModelZip; filename: string }> {
    const v = await this.found(id);
    // A version scored after registration keeps its evaluation in the registry; it becomes metrics.json.
    const metrics = v.evaluation ? Buffer.from(`${JSON.stringify({ test_set: v.view.test_set, ...v.evaluation }, null, 2)}\n`) : undefined;
    let zip: ModelZip;
    try {
      zip = await planModelZip(join(this.dataDir, v.view.artifact_path), { metricsFallback: metrics });
    } catch (err) {
      if (!metrics) throw new AppError('conflict', `Model version ${id} is not evaluated yet, so it has no metrics to export; try again shortly`, { status: v.view.status });
      throw err;
    }
    return { zip, filename: `${safeFileName(v.view.name)}.zip` };
  }

  private async found(id: string): Promise<StoredVersion> {
    const v = await this.versions.find(id);
    if (!v || v.view.status === 'deleted') throw new AppError('not_found', `No such model version: ${id}`);
    return v;
  }
}

function evaluated(v: StoredVersion): ModelEvaluation {
  if (!v.evaluation) throw new AppError('conflict', `Model version ${v.view.id} is not evaluated yet (${v.view.status}); compare it once it is ready`, { id: v.view.id, status: v.view.status });
  return v.evaluation;
}

/** MNIST stores ink as 255 on 0: shown to people, a digit reads better as dark ink on white paper. */
const asInk = (pixels: Uint8Array): Uint8Array => pixels.map((p) => 255 - p);

const ref = (v: ModelVersion, e: ModelEvaluation) => ({ id: v.id, name: v.name, accuracy: e.accuracy });

/** A Content-Disposition file name: the version's name without anything a header or a file system could trip on. */
const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'model';
