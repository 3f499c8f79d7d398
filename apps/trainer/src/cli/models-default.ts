/**
 * `npm run models:default`: trains the default ensemble from the fixed recipes in
 * default-recipes.ts into `models/<model_id>/`, scores every member and the ensemble on the 10,000
 * MNIST test digits FROM THE ONNX FILES, and writes `models/ensemble.json`.
 *
 *   npm run models:default -- [--out models] [--only cnn-a-v1,...] [--force] [--sequential]
 *   (--only retrains just those members and leaves ensemble.json as it is)
 *
 * Members train concurrently, each in its own worker with one deterministic ORT thread (bit-identical
 * weights for a recipe on the same machine). A member whose committed manifest already carries its
 * recipe's hash is kept unless --force; an interrupted run resumes from its per-epoch checkpoints
 * under artifacts/tmp/checkpoints/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { expectedCalibrationError, logLoss } from '@inkwell/ml-eval';
import {
  type Artifact,
  accuracyOf,
  evaluateEnsemble,
  inspectArtifact,
  isRefusal,
  loadRecipeData,
  mnistSource,
  mnistTest,
  Recipe,
  recipeHash,
  trainRecipe,
  writeEnsemble,
} from '@inkwell/model-artifacts';
import { DEFAULT_ENSEMBLE_ID, DEFAULT_RECIPES } from './default-recipes';
import { progressPrinter, table } from './progress';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'models' },
    only: { type: 'string' },
    force: { type: 'boolean', default: false },
    sequential: { type: 'boolean', default: false },
    'checkpoint-dir': { type: 'string', default: join('artifacts', 'tmp', 'checkpoints') },
  },
});

const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const recipes = DEFAULT_RECIPES.map((r) => Recipe.parse(r));
const wanted = args.only ? new Set(args.only.split(',')) : null;

async function member(recipe: Recipe): Promise<Artifact> {
  if (!args.force && existsSync(join(args.out, recipe.name))) {
    // A folder the store refuses (stale preprocessing, missing metrics) is retrained, and says why.
    const existing = await inspectArtifact(args.out, recipe.name);
    if (isRefusal(existing)) log(`${recipe.name}: ${existing.reason}; retraining`);
    else if (existing.manifest.recipe_hash === recipeHash(recipe)) {
      log(`${recipe.name}: up to date (recipe ${existing.manifest.recipe_hash.slice(0, 12)}), kept`);
      return existing;
    }
  }
  const { artifact, trainSeconds } = await trainRecipe(recipe, {
    source: mnistSource(recipe.data),
    outDir: args.out,
    checkpointDir: join(args['checkpoint-dir'], `${recipe.name}-${recipeHash(recipe).slice(0, 12)}`),
    deterministic: true,
    threads: 1,
    onProgress: progressPrinter(recipe.name, process.stdout.isTTY ? process.stderr : process.stdout),
    log: (m) => log(`${recipe.name}: ${m}`),
  });
  log(`${recipe.name}: trained in ${trainSeconds.toFixed(0)} s; test accuracy ${(100 * artifact.metrics.accuracy).toFixed(2)} % from ${artifact.modelPath}`);
  return artifact;
}

const started = performance.now();
const selected = wanted ? recipes.filter((r) => wanted.has(r.name)) : recipes;
if (wanted && selected.length !== wanted.size) throw new Error(`--only names a recipe that default-recipes.ts does not have: ${[...wanted].join(', ')}`);
const members: Artifact[] = [];
if (args.sequential) for (const r of selected) members.push(await member(r));
else members.push(...(await Promise.all(selected.map(member))));
if (wanted) {
  // A partial run leaves ensemble.json alone: it must describe the whole default set.
  log(`--only: trained ${members.map((m) => m.manifest.model_id).join(', ')}; ${args.out}/ensemble.json not rewritten`);
  process.exit(0);
}

const test = mnistTest();
const { validation } = loadRecipeData(recipes[0]?.data ?? Recipe.parse(DEFAULT_RECIPES[0]).data);
const paths = members.map((m) => m.modelPath);
const onTest = await evaluateEnsemble(paths, test);
const onVal = await evaluateEnsemble(paths, validation);
const ensemble = {
  schema_version: 1 as const,
  ensemble_id: DEFAULT_ENSEMBLE_ID,
  combine: 'mean_probs' as const,
  members: members.map((m) => m.manifest.model_id),
  preprocess_hash: PREPROCESS_HASH,
  created_at: new Date().toISOString(),
  val_acc: accuracyOf(validation.labels, onVal.mean),
  test_acc: accuracyOf(test.labels, onTest.mean),
  test_ece: expectedCalibrationError(test.labels, onTest.mean).ece,
  test_log_loss: logLoss(test.labels, onTest.mean),
  member_test_acc: Object.fromEntries(members.map((m, i) => [m.manifest.model_id, accuracyOf(test.labels, onTest.members[i] ?? new Float32Array())])),
};
const path = writeEnsemble(args.out, ensemble);

const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
console.log(
  `\n${table(
    ['model', 'family', 'val acc', 'test acc (ONNX)', 'test ECE', 'T', 'train s'],
    [
      ...members.map((m) => [
        m.manifest.model_id,
        m.manifest.arch,
        pct(m.manifest.val_acc),
        pct(m.metrics.accuracy),
        pct(m.metrics.ece),
        m.manifest.temperature.toFixed(3),
        m.metrics.timings.train_seconds.toFixed(0),
      ]),
      [DEFAULT_ENSEMBLE_ID, 'mean_probs', pct(ensemble.val_acc), pct(ensemble.test_acc), pct(ensemble.test_ece), '-', '-'],
    ],
  )}\n`,
);
log(`wrote ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
