import { buildNetwork } from '../arch/build-network';
import type { ArchConfig } from '../arch/schema';
import type { Weights } from './config';
import { Rng } from './rng';
import { initWeights } from './weights';

/**
 * The weights a training run with this seed starts from (the same RNG draws as train()), so an
 * untrained model is reproducible: same arch and seed, same bytes.
 */
export function initialWeights(arch: ArchConfig, seed: number): Weights {
  return initWeights(buildNetwork(arch), new Rng(seed));
}
