import type { Params } from '../types';

/** Branin-Hoo on x1 ∈ [-5, 10], x2 ∈ [0, 15]; global minimum 0.397887 at three points. */
export const BRANIN_MIN = 0.397887;

export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

export const braninSpace = {
  x1: { kind: 'float', low: -5, high: 10 },
  x2: { kind: 'float', low: 0, high: 15 },
} as const;

/** Objective to maximise: minus Branin. */
export function negBranin(p: Params): number {
  return -branin(num(p, 'x1'), num(p, 'x2'));
}

/**
 * A noisy 3-D quadratic, maximum 0 at (0.3, -0.2, log 0.01) plus noise of sd 0.05 that is a
 * fixed function of (seed, trial index), so reruns see the same noise, as a seeded trainer would.
 */
export const quadraticSpace = {
  a: { kind: 'float', low: -1, high: 1 },
  b: { kind: 'float', low: -1, high: 1 },
  lr: { kind: 'float', low: 1e-4, high: 1, log: true },
} as const;

export function quadratic(p: Params): number {
  const lr = Math.log10(num(p, 'lr')) + 2; // 0 at lr = 0.01
  return -((num(p, 'a') - 0.3) ** 2) - (num(p, 'b') + 0.2) ** 2 - 0.25 * lr * lr;
}

export function noisyQuadratic(p: Params, seed: number, index: number): number {
  return quadratic(p) + 0.05 * gaussianHash(seed * 7919 + index);
}

function num(p: Params, name: string): number {
  const v = p[name];
  if (typeof v !== 'number') throw new Error(`parameter ${name} is not a number: ${String(v)}`);
  return v;
}

// Deterministic pseudo-normal from an integer (Box-Muller over two hashed uniforms).
function gaussianHash(n: number): number {
  const u1 = (hash(n) + 1) / 4294967297;
  const u2 = hash(n ^ 0x5bd1e995) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function hash(x: number): number {
  let h = (x | 0) + 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
