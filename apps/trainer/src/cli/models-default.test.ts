import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelManifest } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { accuracyOf, evaluateOnnx, readArtifact, readEnsemble, recipeHash, Recipe } from '@inkwell/model-artifacts';
import { loadMnist, subset } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENSEMBLE_ID, DEFAULT_RECIPES } from './default-recipes';

const MODELS = fileURLToPath(new URL('../../../../models', import.meta.url));

describe('committed default models (models/) match `npm run models:default`', () => {
  it.each(DEFAULT_RECIPES.map((r) => [Recipe.parse(r).name, r] as const))('%s was trained from the current recipe and preprocessing', (name, recipe) => {
    const raw: unknown = JSON.parse(readFileSync(`${MODELS}/${name}/manifest.json`, 'utf8'));
    const manifest = ModelManifest.parse(raw);
    expect(manifest.model_id).toBe(name);
    expect(manifest.training_recipe).toBe(name);
    expect(manifest.recipe_hash).toBe(recipeHash(recipe));
    expect(manifest.preprocess_hash).toBe(PREPROCESS_HASH);
    expect(manifest.training_seed).toBe(Recipe.parse(recipe).seed);
  });

  it('ensemble.json lists exactly the default recipes', () => {
    const ensemble = readEnsemble(MODELS);
    expect(ensemble?.ensemble_id).toBe(DEFAULT_ENSEMBLE_ID);
    expect(ensemble?.members).toEqual(DEFAULT_RECIPES.map((r) => Recipe.parse(r).name));
    expect(ensemble?.preprocess_hash).toBe(PREPROCESS_HASH);
  });

  it('every committed ONNX file reads digits: at least 97 % right on 500 MNIST test digits', async () => {
    const test = loadMnist('test');
    const digits = subset(test, Array.from({ length: 500 }, (_, i) => i * 20));
    for (const r of DEFAULT_RECIPES) {
      const artifact = await readArtifact(MODELS, Recipe.parse(r).name);
      const probs = await evaluateOnnx(artifact.modelPath, digits);
      expect(accuracyOf(digits.labels, probs)).toBeGreaterThanOrEqual(0.97);
    }
  });
});
