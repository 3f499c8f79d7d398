/**
 * `npm run models:number-count`: trains number mode's digit-count model from NUMBER_COUNT_RECIPE
 * into `models-aux/<model_id>/` (model.onnx and manifest.json with the recipe, its hash, the
 * validation accuracy and the ONNX file's sha256). About 8 minutes on 2 cores, most of it making
 * the examples. A folder whose manifest already carries the recipe's hash and the current PREPROCESS_HASH, beside the model.onnx it describes, is kept unless --force.
 *
 *   npm run models:number-count -- [--out models-aux] [--force]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { canonicalJson, DigitCountManifest, sha256Hex, sha256Of } from '@inkwell/model-artifacts';
import { buildNumberCountModel, NUMBER_COUNT_RECIPE } from '../number-count/number-count-model';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: 'models-aux' }, force: { type: 'boolean', default: false } } });
const dir = join(args.out, NUMBER_COUNT_RECIPE.model_id);
const hash = sha256Hex(canonicalJson(NUMBER_COUNT_RECIPE));
const manifestPath = join(dir, 'manifest.json');
const committed = existsSync(manifestPath) ? DigitCountManifest.safeParse(JSON.parse(readFileSync(manifestPath, 'utf8'))).data : undefined;
const modelPath = join(dir, 'model.onnx');
const kept = !args.force && committed?.recipe_hash === hash && committed.preprocess_hash === PREPROCESS_HASH && existsSync(modelPath) && sha256Of(readFileSync(modelPath)) === committed.onnx_sha256;
if (kept) {
  console.log(`${dir}: already built from this recipe (${hash.slice(0, 12)}); --force rebuilds it`);
} else {
  const { onnx, manifest } = await buildNumberCountModel(NUMBER_COUNT_RECIPE, (p) => {
    if (p.type === 'epoch') console.log(`epoch ${p.epoch}: train ${p.trainAccuracy.toFixed(4)}, validation ${(p.valAccuracy ?? 0).toFixed(4)} (${p.seconds.toFixed(0)} s)`);
  });
  // Written beside, then renamed: a reader never sees a half-written pair.
  const tmp = join(args.out, `.${NUMBER_COUNT_RECIPE.model_id}-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'model.onnx'), onnx);
  writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (existsSync(dir)) renameSync(dir, `${tmp}-old`);
  renameSync(tmp, dir);
  rmSync(`${tmp}-old`, { recursive: true, force: true });
  console.log(`${dir}: ${manifest.examples.train} training examples, validation accuracy ${(100 * manifest.val_accuracy).toFixed(2)} %, onnx sha256 ${manifest.onnx_sha256}`);
}
