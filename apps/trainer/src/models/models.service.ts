import { AppError, type ConfusionMatrixView, type ModelEvaluation, type ModelList, type ModelListQuery, type ModelMetrics, type ModelVersion, type RocCurveView } from '@inkwell/contracts';
import { rowNormalize } from '@inkwell/ml-eval';
import { metricsOf, type ModelVersionsStore, type StoredVersion } from './model-versions.store';

/**
 * The registry's read side. Every signed-in user sees every version: models are shared, only
 * training jobs and datasets are private to their owners.
 */
export class ModelsService {
  constructor(private readonly versions: ModelVersionsStore) {}

  async list(q: ModelListQuery): Promise<ModelList> {
    const { items, total } = await this.versions.list(q);
    return { items, total, page: q.page, page_size: q.page_size };
  }

  async get(id: string): Promise<ModelVersion> {
    return (await this.found(id)).view;
  }

  async metrics(id: string): Promise<ModelMetrics> {
    const { view, evaluation } = await this.evaluated(id);
    return metricsOf(evaluation, view.test_set);
  }

  async confusion(id: string): Promise<ConfusionMatrixView> {
    const { view, evaluation } = await this.evaluated(id);
    return { test_set: view.test_set, labels: evaluation.confusion.map((_, i) => i), counts: evaluation.confusion, normalized: rowNormalize(evaluation.confusion) };
  }

  async roc(id: string): Promise<RocCurveView> {
    const { view, evaluation } = await this.evaluated(id);
    return { test_set: view.test_set, ...evaluation.roc };
  }

  private async found(id: string): Promise<StoredVersion> {
    const v = await this.versions.find(id);
    if (!v) throw new AppError('not_found', 'No such model version');
    return v;
  }

  /** 409 until the version's test-split evaluation exists: it is computed once, in the background, after registration. */
  private async evaluated(id: string): Promise<{ view: ModelVersion; evaluation: ModelEvaluation }> {
    const { view, evaluation } = await this.found(id);
    if (view.status === 'failed') throw new AppError('conflict', `Model version ${id} could not be evaluated: ${view.status_reason ?? 'unknown reason'}`, { status: view.status });
    if (!evaluation) throw new AppError('conflict', `Model version ${id} is still being evaluated on its test split; try again shortly`, { status: view.status });
    return { view, evaluation };
  }
}
