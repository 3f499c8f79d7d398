import { describe, expect, it } from 'vitest';
import { loadRecipeData, mnistSource } from './data';
import { RecipeData } from './recipe';

describe('recipe data', () => {
  it('holds out a stratified validation split and limits training digits deterministically', () => {
    const full = loadRecipeData(RecipeData.parse({}));
    expect(full.validation.count).toBe(6000);
    expect(full.train.count).toBe(54000);
    const counts = new Array<number>(10).fill(0);
    for (const l of full.validation.labels) counts[l] = (counts[l] ?? 0) + 1;
    for (const c of counts) expect(c).toBeGreaterThan(500);

    const a = loadRecipeData(RecipeData.parse({ trainLimit: 500 }));
    const b = loadRecipeData(RecipeData.parse({ trainLimit: 500 }));
    expect(a.train.count).toBe(500);
    expect(a.train.pixels).toEqual(b.train.pixels);
    expect(a.validation.labels).toEqual(full.validation.labels);
  });

  it('serves MNIST as a data source: the recipe split for training and validation, the official test file for scoring', async () => {
    const source = mnistSource(RecipeData.parse({ trainLimit: 500, validationFraction: 0.2 }));
    const splits = await source.load();
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([500, 12000, 10000]);
    expect(splits.test.pixels.length).toBe(10000 * 784);
    expect(source.name).toBe('mnist (validation 20 %, split seed 0, first 500 training digits)');
  });
});
