import { AppError, TrainingHistoryRow, type Identity, type TrainFamily, type TrainingHistory } from '@inkwell/contracts';
import type { HistoryRow, TrainingHistoryStore } from './training-history.store';

const toView = (r: HistoryRow): TrainingHistoryRow =>
  TrainingHistoryRow.parse({
    job_id: r.id,
    family: r.family,
    dataset_id: r.dataset_id,
    owner_id: r.owner_id,
    hyperparameters: r.hyperparameters,
    epochs: r.epochs,
    seed: r.seed,
    max_train_samples: r.max_train_samples,
    status: r.status,
    created_at: r.created_at.toISOString(),
    started_at: r.started_at?.toISOString() ?? null,
    finished_at: r.finished_at?.toISOString() ?? null,
    duration_s: r.started_at && r.finished_at ? Math.max(0, (r.finished_at.getTime() - r.started_at.getTime()) / 1000) : null,
    model_version_id: r.model_version_id,
    accuracy: r.metrics?.accuracy ?? null,
    macro_f1: r.metrics?.macro.f1 ?? null,
    log_loss: r.metrics?.log_loss ?? null,
  });

/** Training history (seed 001 FR3.4), with GET /api/jobs' visibility: one's own jobs, an admin all. */
export class TrainingHistoryService {
  constructor(private readonly store: TrainingHistoryStore) {}

  async list(who: Identity, family: TrainFamily | undefined): Promise<TrainingHistory> {
    const rows = await this.store.list(ownerScope(who), family);
    return { items: rows.map(toView) };
  }
}

/**
 * Whose jobs the caller sees: null (everyone's) for an admin, else the caller's own. An identity
 * without a subject owns no jobs; it is refused rather than matched against an empty owner id.
 */
function ownerScope(who: Identity): string | null {
  if (who.role === 'admin') return null;
  if (!who.sub) throw new AppError('forbidden', 'The training history lists the caller\'s own jobs, and this identity names no user or API key');
  return who.sub;
}
