import { Rng, type DigitSet } from '@inkwell/ml-data';
import { NUM_CLASSES, PIXELS } from '../common/features';
import { ForestParams, type ForestParamsInput } from './params';
import { growTree, leafOf, type ColumnData, type Tree } from './tree';

export interface ForestModel {
  readonly kind: 'random_forest';
  readonly numClasses: number;
  readonly trees: readonly Tree[];
}

export interface ForestTrainReport {
  readonly model: ForestModel;
  readonly params: ForestParams;
  readonly nodes: number;
  readonly seconds: number;
}

function toColumns(set: DigitSet): ColumnData {
  const N = set.count;
  const columns = new Uint8Array(N * PIXELS);
  for (let s = 0; s < N; s++) for (let f = 0; f < PIXELS; f++) columns[f * N + s] = set.pixels[s * PIXELS + f] as number;
  return { count: N, features: PIXELS, numClasses: NUM_CLASSES, columns, labels: set.labels };
}

function resolveMaxFeatures(p: ForestParams): number {
  if (p.maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(PIXELS)));
  if (p.maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(PIXELS)));
  return p.maxFeatures;
}

/** Random forest (Breiman): bootstrap samples, CART trees with Gini and random feature subsets; seeded. */
export function trainForest(set: DigitSet, paramsInput: ForestParamsInput = {}, log: (m: string) => void = () => undefined): ForestTrainReport {
  const started = performance.now();
  const params = ForestParams.parse(paramsInput);
  if (set.count === 0) throw new RangeError('cannot train a forest on an empty set');
  const data = toColumns(set);
  const rng = new Rng(params.seed);
  const options = { maxDepth: params.maxDepth ?? Number.POSITIVE_INFINITY, minSamplesSplit: params.minSamplesSplit, maxFeatures: resolveMaxFeatures(params) };
  const trees: Tree[] = [];
  let nodes = 0;
  for (let t = 0; t < params.nEstimators; t++) {
    const treeRng = rng.fork();
    const idx = new Int32Array(set.count);
    for (let i = 0; i < set.count; i++) idx[i] = params.bootstrap ? treeRng.int(set.count) : i;
    const tree = growTree(data, idx, options, treeRng);
    trees.push(tree);
    nodes += tree.feature.length;
    if ((t + 1) % 10 === 0) log(`forest: ${t + 1}/${params.nEstimators} trees, ${nodes} nodes, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { model: { kind: 'random_forest', numClasses: NUM_CLASSES, trees }, params, nodes, seconds: (performance.now() - started) / 1000 };
}

/** Mean of the trees' leaf class frequencies, [N, 10], from raw pixels. */
export function forestPredictProba(model: ForestModel, set: DigitSet): Float32Array {
  const K = model.numClasses;
  const out = new Float32Array(set.count * K);
  const w = 1 / model.trees.length;
  for (let s = 0; s < set.count; s++) {
    for (const tree of model.trees) {
      const leaf = leafOf(tree, set.pixels, s * PIXELS);
      for (let k = 0; k < K; k++) out[s * K + k] = (out[s * K + k] as number) + (tree.value[leaf * K + k] as number) * w;
    }
  }
  return out;
}
