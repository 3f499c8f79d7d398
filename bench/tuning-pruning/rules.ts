/**
 * Compares pruning rules offline on the validation curves of an unpruned study (written by
 * `main.ts --only off --curves FILE`): for each rule, what share of the epochs it would have
 * stopped and whether the study's best trial survives. Trials are replayed in index order and each
 * decision goes through @inkwell/tuning's `shouldPrune` with the same visibility rule as a real
 * study (trial k is judged against trials 0..k-3 as they ended under that same rule), and, as the
 * trainer does, never after the last epoch. Exact for random search, whose trials do not depend on
 * earlier results.
 *
 * Then, as a check that a rule is not fitted to one study: random search draws its trials
 * independently, so any order of the same curves is as likely a study as the one that ran; each
 * rule is replayed on 2,000 seeded shuffles, reporting the mean share stopped and how often the
 * best trial survived.
 *
 *   npx tsx bench/tuning-pruning/rules.ts /tmp/tuning-pruning-curves-seed22.json [more.json ...]
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Rng } from '@inkwell/ml-data';
import { bestTrial, shouldPrune, type Method, type Pruner, type Trial } from '@inkwell/tuning';

const Curves = z.object({
  seed: z.number(),
  epochs: z.number().int().min(1),
  trials: z.array(z.object({ index: z.number().int(), status: z.string(), val_accuracy: z.array(z.number()) })),
});
type Curves = z.infer<typeof Curves>;

const method: Method = { kind: 'random' };
const SHUFFLES = 2000;
const rules: { name: string; pruner: Pruner }[] = [
  { name: 'median, 5 startup (before)', pruner: { rule: 'median', n_startup_trials: 5 } },
  { name: 'median, 3 startup', pruner: { rule: 'median', n_startup_trials: 3 } },
  { name: 'median, 3 startup, from epoch 2', pruner: { rule: 'median', n_startup_trials: 3, min_epoch: 2 } },
  { name: 'median, 2 startup', pruner: { rule: 'median', n_startup_trials: 2 } },
  { name: 'median, 1 startup', pruner: { rule: 'median', n_startup_trials: 1 } },
  { name: 'percentile 60, 5 startup', pruner: { rule: 'percentile', percentile: 60, n_startup_trials: 5 } },
  { name: 'percentile 60, 3 startup', pruner: { rule: 'percentile', percentile: 60, n_startup_trials: 3 } },
  { name: 'percentile 60, 2 startup', pruner: { rule: 'percentile', percentile: 60, n_startup_trials: 2 } },
  { name: 'percentile 67, 3 startup', pruner: { rule: 'percentile', percentile: 67, n_startup_trials: 3 } },
  { name: 'successive halving, r 1, eta 3', pruner: { rule: 'successive_halving' } },
  { name: 'successive halving, r 1, eta 2', pruner: { rule: 'successive_halving', reduction_factor: 2 } },
  { name: 'successive halving, r 1, eta 4', pruner: { rule: 'successive_halving', reduction_factor: 4 } },
  { name: 'successive halving, r 2, eta 3', pruner: { rule: 'successive_halving', min_resource: 2 } },
];

interface Outcome {
  trials: Trial[];
  epochs: number;
}

function replay(study: Curves, pruner: Pruner | null): Outcome {
  const finished: Trial[] = [];
  let epochs = 0;
  for (const t of [...study.trials].sort((a, b) => a.index - b.index)) {
    const curve = t.val_accuracy;
    let prunedAt: number | null = null;
    for (let e = 1; pruner !== null && e < study.epochs && e <= curve.length; e++) {
      if (shouldPrune(finished, { index: t.index, intermediate: curve.slice(0, e) }, method, pruner).prune) {
        prunedAt = e;
        break;
      }
    }
    const ran = prunedAt ?? curve.length;
    epochs += ran;
    const completed = prunedAt === null && t.status === 'completed';
    finished.push({ index: t.index, params: {}, value: completed ? (curve[curve.length - 1] ?? null) : null, pruned_at_epoch: prunedAt, intermediate: curve.slice(0, ran) });
  }
  return { trials: finished, epochs };
}

for (const file of process.argv.slice(2)) {
  const study = Curves.parse(JSON.parse(readFileSync(file, 'utf8')));
  const off = replay(study, null);
  const bestOff = bestTrial(off.trials);
  console.info(`\n${file}: seed ${study.seed}, ${study.trials.length} trials x ${study.epochs} epochs, ${off.epochs} epochs unpruned, best trial ${bestOff?.index ?? '-'} (${bestOff?.value?.toFixed(4) ?? '-'})`);
  console.info('| rule | epochs run | stopped | pruned (trial@epoch) | best kept |');
  console.info('| --- | --- | --- | --- | --- |');
  for (const { name, pruner } of rules) {
    const on = replay(study, pruner);
    const best = bestTrial(on.trials);
    const pruned = on.trials.filter((t) => t.pruned_at_epoch !== null && t.pruned_at_epoch !== undefined).map((t) => `${t.index}@${t.pruned_at_epoch ?? ''}`);
    const share = (100 * (off.epochs - on.epochs)) / off.epochs;
    console.info(`| ${name} | ${on.epochs} | ${share.toFixed(1)} % | ${pruned.join(' ') || '-'} | ${best?.index === bestOff?.index ? 'yes' : `no (trial ${best?.index ?? '-'})`} |`);
  }
  console.info(`\n${SHUFFLES} shuffles of the same curves:`);
  console.info('| rule | mean stopped | shuffles >= 30 % | best kept |');
  console.info('| --- | --- | --- | --- |');
  for (const { name, pruner } of rules) {
    const rng = new Rng(study.seed);
    let stopped = 0;
    let atLeast30 = 0;
    let kept = 0;
    for (let i = 0; i < SHUFFLES; i++) {
      const shuffled = shuffle(study, rng);
      const on = replay(shuffled, pruner);
      const share = (off.epochs - on.epochs) / off.epochs;
      stopped += share;
      if (share >= 0.3) atLeast30++;
      if (bestTrial(on.trials)?.index === bestTrial(replay(shuffled, null).trials)?.index) kept++;
    }
    const pct = (n: number): string => `${((100 * n) / SHUFFLES).toFixed(1)} %`;
    console.info(`| ${name} | ${pct(stopped)} | ${pct(atLeast30)} | ${pct(kept)} |`);
  }
}

/** The same trials in another order (Fisher-Yates), renumbered 0..n-1. */
function shuffle(study: Curves, rng: Rng): Curves {
  const trials = [...study.trials];
  for (let i = trials.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [trials[i], trials[j]] = [trials[j] as Curves['trials'][number], trials[i] as Curves['trials'][number]];
  }
  return { ...study, trials: trials.map((t, index) => ({ ...t, index })) };
}
