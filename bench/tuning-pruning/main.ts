/**
 * Issue 22, done-when 4: how many epochs the default pruning rule (`pruning: true`, see
 * DEFAULT_PRUNER in @inkwell/tuning) stops, and whether it changes the best trial. The same 12-trial random-search CNN study (fixed seed, so both runs propose the same
 * parameters: random search ignores results) runs twice in-process, pruning on and off, on a
 * scratch database and Redis prefix (as bench/tuning/main.ts does). Prints the epochs each run
 * trained, the share pruning stopped, which trials it stopped where, and each run's best trial.
 *
 *   nice -n 10 npx tsx bench/tuning-pruning/main.ts [--samples 3000] [--epochs 4] [--trials 12] [--seed 22]
 *
 * `--only off --curves /tmp/curves.json` runs just the unpruned study and writes each trial's
 * validation curve, so candidate pruning rules can be compared offline on the same curves with
 * `rules.ts` (a random-search trial's parameters and training do not depend on other trials' results).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Identity, TuningJob } from '@inkwell/contracts';
import { processEnv } from '@inkwell/config';
import { createTestDatabase } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { DEFAULT_PRUNER } from '@inkwell/tuning';
import { trainerService } from '../../apps/trainer/src/service';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '3000' },
    epochs: { type: 'string', default: '4' },
    trials: { type: 'string', default: '12' },
    seed: { type: 'string', default: '22' },
    only: { type: 'string' },
    curves: { type: 'string' },
  },
});
const samples = Number(values.samples);
const epochs = Number(values.epochs);
const trials = Number(values.trials);
const seed = Number(values.seed);
if (values.only !== undefined && values.only !== 'on' && values.only !== 'off') throw new Error('--only takes on or off');
const who: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-0000000000b2', role: 'engineer', email: 'bench@test', session_id: null, ip: '127.0.0.1', user_agent: null };

const dataDir = mkdtempSync(join(tmpdir(), 'tuning-pruning-bench-'));
const base = processEnv();
const database = await createTestDatabase(base.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'template0');
const redisPrefix = `bench${randomBytes(4).toString('hex')}`;
const env = { ...base, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, TRAINER_REGISTER_DEFAULT_MODELS: 'false', DATA_DIR: dataDir };
const trainer = await startService(trainerService, { env, logger: createLogger('tuning-pruning-bench', 'warn'), poolMax: 4 });

interface Run {
  readonly job: TuningJob;
  readonly seconds: number;
  readonly epochs: number;
}

async function study(pruning: boolean): Promise<Run> {
  const { tuning } = trainer.exposes;
  const t0 = performance.now();
  const started = await tuning.create(who, {
    family: 'cnn',
    dataset_id: 'mnist',
    // A small net so 24 trials fit the bench's time on two CPU cores.
    base_hyperparameters: { filters: [8, 16], dense: [32], optimizer: 'adam', batch_size: 64 },
    space: { learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true }, dropout: { kind: 'float', low: 0, high: 0.5 } },
    method: { kind: 'random' },
    budget: { trials },
    objective: 'val_accuracy',
    seed,
    epochs,
    max_train_samples: samples,
    pruning,
  });
  let job: TuningJob = started;
  while (!['completed', 'failed', 'cancelled'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 1000));
    job = await tuning.get(who, started.id);
  }
  const seconds = (performance.now() - t0) / 1000;
  // A pruned trial trained exactly the epochs it recorded; a completed one all of them.
  const ran = job.trials.reduce((n, t) => n + t.val_accuracy.length, 0);
  return { job, seconds, epochs: ran };
}

const fmt = (params: Record<string, unknown>): string => Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : String(v)}`).join(' ');

function print(name: string, run: Run): void {
  console.info(`\n${name}: study ${run.job.status} in ${run.seconds.toFixed(1)} s, ${run.epochs} epochs trained`);
  for (const t of run.job.trials) console.info(`  trial ${t.index}: ${fmt(t.params)} ${t.status}${t.pruned_at_epoch ? ` at epoch ${t.pruned_at_epoch}` : ''} val [${t.val_accuracy.map((v) => v.toFixed(4)).join(', ')}]`);
  const b = run.job.best;
  console.info(`  best: ${b ? `trial ${b.trial} ${fmt(b.params)} val ${b.value.toFixed(4)}` : 'none'}`);
}

/** One study only; with `--curves`, its trials' validation curves as JSON for offline rule comparison. */
async function single(pruning: boolean, curvesPath: string | undefined): Promise<void> {
  const run = await study(pruning);
  print(`pruning ${pruning ? 'on' : 'off'}`, run);
  if (curvesPath === undefined) return;
  const trialCurves = run.job.trials.map((t) => ({ index: t.index, params: t.params, status: t.status, val_accuracy: t.val_accuracy }));
  writeFileSync(curvesPath, `${JSON.stringify({ seed, samples, epochs, trials: trialCurves }, null, 2)}\n`);
  console.info(`curves written to ${curvesPath}`);
}

async function both(): Promise<void> {
  const on = await study(true);
  const off = await study(false);
  print('pruning on', on);
  print('pruning off', off);
  const pruned = on.job.trials.filter((t) => t.status === 'pruned').map((t) => `trial ${t.index} at epoch ${t.pruned_at_epoch ?? '?'}`);
  const share = off.epochs > 0 ? (off.epochs - on.epochs) / off.epochs : 0;
  const sameParams = on.job.trials.every((t, i) => JSON.stringify(t.params) === JSON.stringify(off.job.trials[i]?.params));
  const sameBest = on.job.best !== null && off.job.best !== null && on.job.best.trial === off.job.best.trial && on.job.best.value === off.job.best.value;
  console.info(`\nsummary (${trials} trials x ${epochs} epochs, ${samples} digits, random search seed ${seed}; pruning rule ${JSON.stringify(DEFAULT_PRUNER)})`);
  console.info(`  epochs: pruning on ${on.epochs}, off ${off.epochs}; pruning stopped ${(share * 100).toFixed(1)} % (${off.epochs - on.epochs} epochs)`);
  console.info(`  pruned: ${pruned.length > 0 ? pruned.join(', ') : 'none'}`);
  console.info(`  same trial parameters in both runs: ${sameParams}`);
  console.info(`  best on: trial ${on.job.best?.trial ?? '-'} val ${on.job.best?.value.toFixed(4) ?? '-'}; best off: trial ${off.job.best?.trial ?? '-'} val ${off.job.best?.value.toFixed(4) ?? '-'}; same best: ${sameBest}`);
  console.info(`  wall: on ${on.seconds.toFixed(1)} s, off ${off.seconds.toFixed(1)} s`);
}

try {
  if (values.only !== undefined) await single(values.only === 'on', values.curves);
  else await both();
} finally {
  await trainer.close();
  const redis = createRedis(base.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  await deleteNamespace(redis, redisPrefix);
  redis.disconnect();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
