/**
 * Issue 22, done-when 1 at full size: grid search over SVM `C` x `gamma` (3 x 3) on a 5,000-digit
 * subset of mnist, tuned from a trained starting version, then kept. The e2e test
 * (apps/platform-e2e/src/tuning/tuning.test.ts) runs the same study through the gateway on 500
 * digits; this runs the trainer in-process (its service methods, a scratch database and Redis
 * prefix) and prints each trial, the best parameters, the before/after comparison and the times.
 *
 *   nice -n 10 npx tsx bench/tuning/main.ts [--samples 5000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Identity, TuningJob } from '@inkwell/contracts';
import { randomBytes } from 'node:crypto';
import { processEnv } from '@inkwell/config';
import { createTestDatabase } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { trainerService } from '../../apps/trainer/src/service';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '5000' } } });
const samples = Number(values.samples);
const who: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-0000000000b1', role: 'engineer', email: 'bench@test', session_id: null, ip: '127.0.0.1', user_agent: null };

const dataDir = mkdtempSync(join(tmpdir(), 'tuning-bench-'));
// A scratch database (the trainer migrates it at start) and Redis prefix, both removed at the end.
const base = processEnv();
const database = await createTestDatabase(base.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'template0');
const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
const env = { ...base, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, TRAINER_REGISTER_DEFAULT_MODELS: 'false', DATA_DIR: dataDir };
const trainer = await startService(trainerService, { env, logger: createLogger('tuning-bench', 'warn'), poolMax: 4 });
try {
  const { trainingJobs, tuning } = trainer.exposes;
  const t0 = performance.now();
  const start = await trainingJobs.create(who, { dataset_id: 'mnist', family: 'svm', hyperparameters: { kernel: 'rbf' }, epochs: 1, seed: 0, max_train_samples: samples });
  let startJob = await trainingJobs.get(who, start.id);
  while (startJob.status === 'queued' || startJob.status === 'running') {
    await new Promise((r) => setTimeout(r, 1000));
    startJob = await trainingJobs.get(who, start.id);
  }
  const version = startJob.model_version_id;
  if (!version) throw new Error('the starting version failed');
  console.info(`starting version (svm defaults, ${samples} digits): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  const study = await tuning.tuneVersion(who, version, {
    space: { C: { kind: 'float', low: 0.1, high: 10, log: true }, gamma: { kind: 'float', low: 0.001, high: 0.1, log: true } },
    method: { kind: 'grid', points_per_axis: 3 },
    budget: { trials: 9 },
    objective: 'val_accuracy',
    seed: 0,
    epochs: 1,
    max_train_samples: samples,
    pruning: true,
  });
  let done: TuningJob = study;
  while (!['completed', 'failed', 'cancelled'].includes(done.status)) {
    await new Promise((r) => setTimeout(r, 1000));
    done = await tuning.get(who, study.id);
  }
  const seconds = (performance.now() - t1) / 1000;
  for (const t of done.trials) console.info(`trial ${t.index}: ${JSON.stringify(t.params)} ${t.status} val ${t.value?.toFixed(4) ?? '-'} (${t.started_at && t.finished_at ? ((Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000).toFixed(1) : '?'} s)`);
  const cmp = done.result?.comparison;
  console.info(`study ${done.status} in ${seconds.toFixed(1)} s; best ${JSON.stringify(done.best?.params)} val ${done.best?.value}`);
  if (cmp) console.info(`before/after on ${cmp.test_set}: accuracy ${cmp.a.accuracy} -> ${cmp.b.accuracy} (delta ${cmp.deltas.accuracy.toFixed(4)}), McNemar p ${JSON.stringify(cmp.mcnemar)}`);
  const kept = await tuning.keep(who, study.id);
  console.info(`kept as model version ${kept.kept_version_id}`);
} finally {
  await trainer.close();
  const redis = createRedis(base.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  await deleteNamespace(redis, redisPrefix);
  redis.disconnect();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
