import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';
import { type RecipeInput, recipeHash } from './recipe';

const cnn: RecipeInput = {
  name: 'cnn-x',
  family: 'cnn',
  seed: 1,
  arch: { kind: 'cnn', filters: [16, 32], batchNorm: true },
  optimizer: { kind: 'adamw', lr: 0.003 },
  epochs: 3,
  augment: { maxShift: 2 },
};

describe('recipe hash', () => {
  it('does not depend on key order, on defaults being spelled out, or on the recipe name', () => {
    const reordered = JSON.parse(canonicalJson(cnn)) as RecipeInput;
    const spelled: RecipeInput = { ...cnn, name: 'other-name', batchSize: 64, labelSmoothing: 0, schedule: { kind: 'constant' }, data: { validationFraction: 0.1, splitSeed: 0, trainLimit: null } };
    expect(recipeHash(reordered)).toBe(recipeHash(cnn));
    expect(recipeHash(spelled)).toBe(recipeHash(cnn));
  });

  it('changes with anything that changes the trained weights', () => {
    const base = recipeHash(cnn);
    expect(recipeHash({ ...cnn, seed: 2 })).not.toBe(base);
    expect(recipeHash({ ...cnn, epochs: 4 })).not.toBe(base);
    expect(recipeHash({ ...cnn, augment: { maxShift: 3 } })).not.toBe(base);
    expect(recipeHash({ ...cnn, augment: null })).not.toBe(base);
    expect(recipeHash({ ...cnn, data: { trainLimit: 1000 } })).not.toBe(base);
    expect(recipeHash({ ...cnn, optimizer: { kind: 'adamw', lr: 0.001 } })).not.toBe(base);
  });

  it('rejects a recipe whose hyperparameters break the schema', () => {
    expect(() => recipeHash({ ...cnn, epochs: 0 })).toThrow();
    expect(() => recipeHash({ name: 'svm', family: 'svm', seed: 1, params: { C: -1 } })).toThrow();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});
