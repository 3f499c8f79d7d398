import { Rng } from '@inkwell/ml-data';

/**
 * A generator for one (seed, stream, index) triple. Each proposal draws from its own stream
 * instead of one shared generator, so trial k's parameters do not depend on how many draws the
 * earlier proposals happened to make, nor on the order the runner asked for them.
 */
export function streamRng(seed: number, stream: number, index: number): Rng {
  let h = mix(seed >>> 0);
  h = mix(h ^ (stream >>> 0));
  h = mix(h ^ (index >>> 0));
  return new Rng(h);
}

// murmur3's 32-bit finaliser: one flipped input bit changes about half of the output bits.
function mix(x: number): number {
  let h = (x + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export const STREAM = { grid: 1, random: 2, genetic: 3, bayesian: 4, forest: 5 } as const;
