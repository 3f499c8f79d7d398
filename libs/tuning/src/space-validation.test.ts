import { describe, expect, it } from 'vitest';
import { AppError } from '@inkwell/contracts';
import { createSampler } from './sampler';
import { MethodSchema, SearchSpaceSchema } from './types';

describe('search space and method validation', () => {
  const bad: [string, unknown][] = [
    ['empty', {}],
    ['low above high', { x: { kind: 'float', low: 2, high: 1 } }],
    ['log with low 0', { x: { kind: 'float', low: 0, high: 1, log: true } }],
    ['step not dividing the range', { n: { kind: 'int', low: 0, high: 10, step: 3 } }],
    ['condition on an unknown parameter', { g: { kind: 'float', low: 0, high: 1, when: { param: 'kernel', in: ['rbf'] } } }],
    [
      'conditions in a cycle',
      { a: { kind: 'choice', values: [1, 2], when: { param: 'b', in: [1] } }, b: { kind: 'choice', values: [1, 2], when: { param: 'a', in: [1] } } },
    ],
    ['no choices', { c: { kind: 'choice', values: [] } }],
  ];
  for (const [what, space] of bad) {
    it(`rejects a space with ${what}`, () => {
      expect(SearchSpaceSchema.safeParse(space).success).toBe(false);
    });
  }

  it('accepts a conditional SVM space', () => {
    const ok = SearchSpaceSchema.safeParse({
      kernel: { kind: 'choice', values: ['linear', 'rbf'] },
      gamma: { kind: 'float', low: 1e-4, high: 1, log: true, when: { param: 'kernel', in: ['rbf'] } },
    });
    expect(ok.success).toBe(true);
  });

  it('rejects genetic settings that cannot run', () => {
    const base = { kind: 'genetic', population: 4, generations: 3, mutation_rate: 0.1, crossover_rate: 0.5, elitism: 1, tournament_size: 2 };
    expect(MethodSchema.safeParse(base).success).toBe(true);
    expect(MethodSchema.safeParse({ ...base, elitism: 4 }).success).toBe(false);
    expect(MethodSchema.safeParse({ ...base, tournament_size: 5 }).success).toBe(false);
    expect(MethodSchema.safeParse({ ...base, mutation_rate: 1.5 }).success).toBe(false);
  });

  it('createSampler answers a bad space with validation_failed, not a crash mid-study', () => {
    let caught: unknown;
    try {
      createSampler({ x: { kind: 'float', low: 1, high: 0 } }, { kind: 'random' }, 1, 10);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('validation_failed');
    expect(() => createSampler({ x: { kind: 'float', low: 0, high: 1 } }, { kind: 'random' }, 1, 0)).toThrow(AppError);
  });
});
