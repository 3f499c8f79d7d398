/**
 * Accuracy benchmark, every number from ONNX FILES run in onnxruntime-node on the 10,000 MNIST
 * test digits:
 *  1. each model folder under `--models` (default `models/`) and their ensemble (models/ensemble.json,
 *     else all of them): accuracy, ECE and log loss;
 *  2. models per family against the targets, PASS/FAIL. cnn and resnet: every model of
 *     that family in `--models` (one row each); mlp, svm and random_forest come from `--artifacts`
 *     (default artifacts/bench/) when a folder there carries the exact recipe hash of
 *     family-recipes.ts, and are trained there first otherwise.
 *
 *   nice -n 10 npx tsx bench/accuracy/main.ts [--models models] [--artifacts artifacts/bench] [--families mlp,svm,...] [--no-train]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expectedCalibrationError, logLoss } from '@inkwell/ml-eval';
import {
  type Artifact,
  FAMILIES,
  type Family,
  accuracyOf,
  evaluateEnsemble,
  evaluateOnnx,
  listArtifacts,
  mnistSource,
  mnistTest,
  readEnsemble,
  Recipe,
  recipeHash,
  trainRecipe,
} from '@inkwell/model-artifacts';
import { ENSEMBLE_ECE_TARGET, FAMILY_RECIPES, TARGETS } from './family-recipes';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'models' },
    artifacts: { type: 'string', default: join('artifacts', 'bench') },
    families: { type: 'string', default: FAMILIES.join(',') },
    'no-train': { type: 'boolean', default: false },
  },
});
const log = (m: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
const test = mnistTest();

interface Scored {
  readonly id: string;
  readonly family: string;
  readonly accuracy: number;
  readonly ece: number;
  readonly logLoss: number;
}

function score(id: string, family: string, probs: Float32Array): Scored {
  return { id, family, accuracy: accuracyOf(test.labels, probs), ece: expectedCalibrationError(test.labels, probs).ece, logLoss: logLoss(test.labels, probs) };
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

// 1. The committed models and their ensemble.
const models = await listArtifacts(args.models, { onRefused: (r) => log(`${args.models}/${r.folder} skipped: ${r.reason}`) });
const scored = new Map<string, Scored>();
if (models.length > 0) {
  const ensemble = readEnsemble(args.models);
  const memberIds = ensemble?.members ?? models.map((m) => m.manifest.model_id);
  const members = memberIds.map((id) => {
    const m = models.find((a) => a.manifest.model_id === id);
    if (!m) throw new Error(`${args.models}/ensemble.json names ${id}, which has no folder`);
    return m;
  });
  const started = performance.now();
  const onTest = await evaluateEnsemble(members.map((m) => m.modelPath), test);
  members.forEach((m, i) => scored.set(m.manifest.model_id, score(m.manifest.model_id, m.manifest.arch, onTest.members[i] ?? new Float32Array())));
  for (const m of models) if (!scored.has(m.manifest.model_id)) scored.set(m.manifest.model_id, score(m.manifest.model_id, m.manifest.arch, await evaluateOnnx(m.modelPath, test)));
  const ens = score(ensemble?.ensemble_id ?? 'ensemble(all)', `mean of ${members.length}`, onTest.mean);
  log(`${args.models}/: ${models.length} models evaluated from their ONNX files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  printTable([
    ['model', 'family', 'test acc', 'ECE', 'log loss'],
    ...[...scored.values(), ens].map((s) => [s.id, s.family, pct(s.accuracy), pct(s.ece), s.logLoss.toFixed(4)]),
  ]);
  scored.set('ensemble', ens);
} else {
  log(`${args.models}/ holds no model folders`);
}

// 2. One model per family against the targets.
// cnn and resnet: every model of the family in --models gets its own row (no picking the best on test).
async function familyModels(family: Family): Promise<Scored[]> {
  const recipe = FAMILY_RECIPES[family];
  if (!recipe) {
    return models
      .filter((m) => m.manifest.arch === family)
      .map((m) => scored.get(m.manifest.model_id))
      .filter((s): s is Scored => s !== undefined);
  }
  const hash = recipeHash(recipe);
  let artifact: Artifact | undefined = (await listArtifacts(args.artifacts)).find((a) => a.manifest.recipe_hash === hash);
  if (!artifact) {
    if (args['no-train']) return [];
    log(`${family}: no artifact with recipe ${hash.slice(0, 12)} under ${args.artifacts}/, training it`);
    artifact = (
      await trainRecipe(recipe, {
        source: mnistSource(Recipe.parse(recipe).data),
        outDir: args.artifacts,
        checkpointDir: join(args.artifacts, '.checkpoints', hash.slice(0, 12)),
        onProgress: (p) => {
          if (p.type === 'epoch') log(`${family}: epoch ${p.epoch} val ${p.valAccuracy === undefined ? '-' : pct(p.valAccuracy)} ${p.seconds.toFixed(0)} s`);
        },
        log: (m) => log(`${family}: ${m}`),
      })
    ).artifact;
  }
  return [score(artifact.manifest.model_id, family, await evaluateOnnx(artifact.modelPath, test))];
}

const rows: string[][] = [['family', 'model', 'test acc (ONNX)', 'target', 'result']];
let failures = 0;
for (const family of args.families.split(',') as Family[]) {
  const target = TARGETS[family];
  const found = await familyModels(family);
  if (found.length === 0) {
    rows.push([family, '(none)', '-', `>= ${pct(target)}`, 'MISSING']);
    failures++;
  }
  for (const s of found) {
    const pass = s.accuracy >= target;
    if (!pass) failures++;
    rows.push([family, s.id, pct(s.accuracy), `>= ${pct(target)}`, pass ? 'PASS' : 'FAIL']);
  }
}
const ens = scored.get('ensemble');
if (ens) {
  const accPass = ens.accuracy >= TARGETS.ensemble;
  const ecePass = ens.ece <= ENSEMBLE_ECE_TARGET;
  failures += (accPass ? 0 : 1) + (ecePass ? 0 : 1);
  rows.push(['ensemble', ens.id, pct(ens.accuracy), `>= ${pct(TARGETS.ensemble)}`, accPass ? 'PASS' : 'FAIL']);
  rows.push(['ensemble ECE', ens.id, pct(ens.ece), `<= ${pct(ENSEMBLE_ECE_TARGET)}`, ecePass ? 'PASS' : 'FAIL']);
}
console.log('');
printTable(rows);
process.exitCode = failures === 0 ? 0 : 1;
