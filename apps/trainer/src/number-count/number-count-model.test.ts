import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { canonicalJson, DigitCountManifest, sha256Hex, sha256Of } from '@inkwell/model-artifacts';
import { describe, expect, it } from 'vitest';
import { buildNumberCountModel, NUMBER_COUNT_RECIPE } from './number-count-model';

const DIR = fileURLToPath(new URL(`../../../../models-aux/${NUMBER_COUNT_RECIPE.model_id}`, import.meta.url));

describe('number mode digit-count model', () => {
  it('builds the same bytes twice from one recipe (a small one: 20 numbers, one epoch)', async () => {
    const small = { ...NUMBER_COUNT_RECIPE, train_seeds: [101], numbers_per_seed: 20, epochs: 1 };
    const a = await buildNumberCountModel(small);
    const b = await buildNumberCountModel(small);
    expect(sha256Of(b.onnx)).toBe(sha256Of(a.onnx));
    expect(b.manifest).toEqual(a.manifest);
    expect(a.manifest.recipe_hash).toBe(sha256Hex(canonicalJson(small)));
    // Whole slots, one-digit pieces and fragments all occur among 20 touching numbers.
    expect(a.manifest.examples.train).toBeGreaterThan(100);
  }, 120_000);

  it('the committed model (models-aux/) was built from the current recipe and image pipeline', () => {
    const manifest = DigitCountManifest.parse(JSON.parse(readFileSync(`${DIR}/manifest.json`, 'utf8')));
    expect(manifest.recipe_hash).toBe(sha256Hex(canonicalJson(NUMBER_COUNT_RECIPE)));
    expect(manifest.preprocess_hash).toBe(PREPROCESS_HASH);
    expect(manifest.onnx_sha256).toBe(sha256Of(readFileSync(`${DIR}/model.onnx`)));
    // 0.889 as built: four classes, where a fragment and a digit cut a little off are told apart by a fifth of its width.
    expect(manifest.val_accuracy).toBeGreaterThan(0.85);
  });
});
