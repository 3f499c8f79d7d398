import { describe, expect, it } from 'vitest';
import { loadRecipeData } from './data';
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
});
