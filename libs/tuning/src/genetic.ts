import type { Rng } from '@inkwell/ml-data';
import { compareTrials } from './best';
import { fromInternal, internalRange, isActive, paramOrder, repair, sampleOne, sampleUniform, toInternal } from './space';
import { generationOf } from './visibility';
import type { GeneticMethod, GenerationSummary, Params, SearchSpace, Trial } from './types';

/** Trials a genetic study runs: generation 0 in full, then `population - elitism` children each. */
export function geneticTotal(method: GeneticMethod): number {
  return method.population + (method.generations - 1) * (method.population - method.elitism);
}

/**
 * The population of `generation`, from the trials of generations 0..generation (all present):
 * generation 0's trials; later, the previous population's `elitism` best plus this generation's
 * children. Elites are the earlier trials themselves, not re-runs.
 */
export function populationOf(method: GeneticMethod, trials: readonly Trial[], generation: number): Trial[] {
  const byIndex = [...trials].sort((a, b) => a.index - b.index);
  let pop = byIndex.slice(0, method.population);
  for (let g = 1; g <= generation; g++) {
    const { start, size } = generationOf(method, method.population + (g - 1) * (method.population - method.elitism));
    const elites = [...pop].sort(compareTrials).slice(0, method.elitism);
    pop = [...elites, ...byIndex.filter((t) => t.index >= start && t.index < start + size)];
  }
  return pop;
}

/**
 * Trial `index`: a random individual in generation 0; later a child of the previous population,
 * bred by tournament selection, uniform crossover (with probability crossover_rate) and per-gene
 * mutation (with probability mutation_rate: a Gaussian step of a tenth of the axis for numbers, a
 * different value for choices). `visible` is every trial of the earlier generations.
 */
export function proposeGenetic(space: SearchSpace, method: GeneticMethod, index: number, visible: readonly Trial[], rng: Rng): Params {
  const { generation } = generationOf(method, index);
  if (generation === 0) return sampleUniform(space, rng);
  const parents = populationOf(method, visible, generation - 1);
  const p1 = tournament(parents, method.tournament_size, rng);
  let child: Params = { ...p1.params };
  if (rng.next() < method.crossover_rate) {
    const p2 = tournament(parents, method.tournament_size, rng);
    child = {};
    for (const name of paramOrder(space)) {
      const from = rng.next() < 0.5 ? p1.params : p2.params;
      const v = from[name] ?? p1.params[name] ?? p2.params[name];
      if (v !== undefined) child[name] = v;
    }
  }
  const mutated: Params = {};
  for (const name of paramOrder(space)) {
    const spec = space[name];
    if (!spec || !isActive(spec, mutated)) continue;
    const v = child[name];
    if (v === undefined) {
      mutated[name] = sampleOne(spec, rng);
    } else if (rng.next() < method.mutation_rate) {
      if (spec.kind === 'choice') {
        const others = spec.values.filter((w) => w !== v);
        mutated[name] = others.length > 0 ? (others[rng.int(others.length)] ?? v) : v;
      } else {
        const [a, b] = internalRange(spec);
        const x = typeof v === 'number' ? toInternal(spec, v) : (a + b) / 2;
        mutated[name] = fromInternal(spec, reflect(x + 0.1 * (b - a) * rng.normal(), a, b));
      }
    } else {
      mutated[name] = v;
    }
  }
  return repair(space, mutated, rng);
}

function tournament(pop: readonly Trial[], size: number, rng: Rng): Trial {
  let best: Trial | undefined;
  for (let i = 0; i < size; i++) {
    const c = pop[rng.int(pop.length)];
    if (c && (best === undefined || compareTrials(c, best) < 0)) best = c;
  }
  if (!best) throw new Error('tournament over an empty population');
  return best;
}

function reflect(x: number, a: number, b: number): number {
  if (x < a) x = a + (a - x);
  if (x > b) x = b - (x - b);
  return Math.min(b, Math.max(a, x));
}

/** Fitness history per generation (for the live view): best and mean over each population. */
export function geneticGenerations(method: GeneticMethod, trials: readonly Trial[]): GenerationSummary[] {
  const out: GenerationSummary[] = [];
  for (let g = 0; g < method.generations; g++) {
    const first = g === 0 ? 0 : method.population + (g - 1) * (method.population - method.elitism);
    const { start, size } = generationOf(method, first);
    const own = trials.filter((t) => t.index >= start && t.index < start + size);
    if (own.length === 0) break;
    const pop = populationOf(method, trials, g);
    const values = pop.map((t) => t.value).filter((v): v is number => v !== null);
    out.push({
      generation: g,
      trial_indices: own.map((t) => t.index).sort((a, b) => a - b),
      best: values.length > 0 ? Math.max(...values) : null,
      mean: values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : null,
    });
  }
  return out;
}
