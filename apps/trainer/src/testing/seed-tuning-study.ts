import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * A finished genetic SVM study of `trials` trials written straight into `ml.tuning_jobs` /
 * `ml.tuning_trials` (the API caps a budget at 500; the pages must still cope with thousands).
 * Values are deterministic: trial g scores 0.8 + ((g * 7919) mod 1000) / 10000, every 50th
 * trial failed. Generations of 500 with 50 elites: 5,000 trials are 11 generations.
 */
export async function seedTuningStudy(db: Knex, opts: { readonly ownerId: string; readonly trials: number }): Promise<string> {
  const id = randomUUID();
  const request = {
    space: { C: { kind: 'float', low: 0.1, high: 100, log: true }, gamma: { kind: 'float', low: 1e-4, high: 0.1, log: true, when: { param: 'kernel', in: ['rbf'] } }, kernel: { kind: 'choice', values: ['rbf', 'linear'] } },
    method: { kind: 'genetic', population: 500, generations: 11, mutation_rate: 0.2, crossover_rate: 0.8, elitism: 50, tournament_size: 3 },
    budget: { trials: 500 },
    objective: 'val_accuracy',
    seed: 0,
    epochs: 1,
    max_train_samples: 200,
    base_hyperparameters: {},
    pruning: false,
  };
  await db('tuning_jobs').insert({ id, owner_id: opts.ownerId, family: 'svm', dataset_id: 'mnist', split: '{}', request: JSON.stringify(request), status: 'completed', created_at: db.fn.now(), started_at: db.fn.now(), finished_at: db.fn.now() });
  await db.raw(
    `insert into tuning_trials (job_id, index, params, status, val_accuracy, value, model_id, test_metrics, started_at, finished_at)
     select ?, g,
            case when g % 2 = 0
              then jsonb_build_object('C', round(power(10, -1 + 3 * ((g * 37) % 1000) / 1000.0)::numeric, 4), 'gamma', round(power(10, -4 + 3 * ((g * 53) % 1000) / 1000.0)::numeric, 6), 'kernel', 'rbf')
              else jsonb_build_object('C', round(power(10, -1 + 3 * ((g * 37) % 1000) / 1000.0)::numeric, 4), 'kernel', 'linear') end,
            case when g % 50 = 49 then 'failed' else 'completed' end,
            case when g % 50 = 49 then '[]'::jsonb else jsonb_build_array(0.8 + ((g * 7919) % 1000) / 10000.0) end,
            case when g % 50 = 49 then null else 0.8 + ((g * 7919) % 1000) / 10000.0 end,
            gen_random_uuid(),
            case when g % 50 = 49 then null else jsonb_build_object('split', 'test', 'count', 100, 'accuracy', 0.8 + ((g * 7919) % 1000) / 10000.0, 'log_loss', 0.5, 'macro', jsonb_build_object('precision', 0.8, 'recall', 0.8, 'f1', 0.8), 'per_class', '[]'::jsonb, 'confusion', '[]'::jsonb) end,
            now() - make_interval(secs => ? - g), now() - make_interval(secs => ? - g)
     from generate_series(0, ? - 1) g`,
    [id, opts.trials, opts.trials, opts.trials],
  );
  await db.raw('analyze tuning_trials');
  return id;
}
