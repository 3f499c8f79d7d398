import type { Knex } from 'knex';
import { z } from 'zod';
import { TrainFamily, TrainingJobStatus } from '@inkwell/contracts';

/** The most rows one export holds (newest first). */
export const HISTORY_LIMIT = 10_000;

/** Only the scores the history shows; a version without them (not evaluated yet) shows none. */
const Scores = z.object({ accuracy: z.number(), log_loss: z.number(), macro: z.object({ f1: z.number() }) });

export const HistoryRow = z.object({
  id: z.string(),
  family: TrainFamily,
  dataset_id: z.string(),
  owner_id: z.string().nullable(),
  hyperparameters: z.record(z.string(), z.json()),
  epochs: z.number().int(),
  seed: z.number().int(),
  max_train_samples: z.number().int().nullable(),
  status: TrainingJobStatus,
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
  model_version_id: z.string().nullable(),
  metrics: z.unknown().transform((m) => {
    const s = Scores.safeParse(m);
    return s.success ? s.data : null;
  }),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

/** The training history's SQL: each job with its model version's scores. */
export class TrainingHistoryStore {
  constructor(private readonly db: Knex) {}

  /** Newest first; `ownerId` null: everyone's. */
  async list(ownerId: string | null, family: TrainFamily | undefined): Promise<HistoryRow[]> {
    const q = this.db('training_jobs as j')
      .leftJoin('model_versions as v', 'v.id', 'j.model_version_id')
      .select('j.id', 'j.family', 'j.dataset_id', 'j.owner_id', 'j.hyperparameters', 'j.epochs', 'j.seed', 'j.max_train_samples', 'j.status', 'j.created_at', 'j.started_at', 'j.finished_at', 'j.model_version_id', 'v.metrics')
      .orderBy('j.created_at', 'desc')
      .orderBy('j.id')
      .limit(HISTORY_LIMIT);
    if (ownerId !== null) void q.where('j.owner_id', ownerId);
    if (family) void q.where('j.family', family);
    const rows: unknown[] = await q;
    return rows.map((r) => HistoryRow.parse(r));
  }
}
