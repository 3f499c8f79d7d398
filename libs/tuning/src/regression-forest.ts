import type { Rng } from '@inkwell/ml-data';

type Node = { leaf: true; value: number } | { leaf: false; feature: number; threshold: number; left: Node; right: Node };

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
}

/**
 * A small bagged regression forest (CART trees, squared error, every feature tried at each split)
 * over a few hundred trials at most: the surrogate that parameter importance reads.
 */
export class RegressionForest {
  private constructor(private readonly roots: Node[]) {}

  static fit(x: readonly number[][], y: readonly number[], options: ForestOptions, rng: Rng): RegressionForest {
    const roots: Node[] = [];
    for (let t = 0; t < options.trees; t++) {
      const rows = Array.from({ length: y.length }, () => rng.int(y.length));
      roots.push(grow(x, y, rows, 0, options));
    }
    return new RegressionForest(roots);
  }

  predict(row: readonly number[]): number {
    let sum = 0;
    for (const root of this.roots) {
      let n = root;
      while (!n.leaf) n = (row[n.feature] ?? 0) <= n.threshold ? n.left : n.right;
      sum += n.value;
    }
    return sum / this.roots.length;
  }
}

function grow(x: readonly number[][], y: readonly number[], rows: number[], depth: number, o: ForestOptions): Node {
  const mean = rows.reduce((s, r) => s + (y[r] as number), 0) / rows.length;
  if (depth >= o.maxDepth || rows.length < 2 * o.minLeaf) return { leaf: true, value: mean };
  let best: { feature: number; threshold: number; sse: number } | null = null;
  const features = x[0]?.length ?? 0;
  for (let f = 0; f < features; f++) {
    const sorted = [...rows].sort((a, b) => (x[a]?.[f] ?? 0) - (x[b]?.[f] ?? 0));
    let leftSum = 0;
    let leftSq = 0;
    let totalSum = 0;
    let totalSq = 0;
    for (const r of sorted) {
      const v = y[r] as number;
      totalSum += v;
      totalSq += v * v;
    }
    for (let i = 0; i < sorted.length - 1; i++) {
      const v = y[sorted[i] as number] as number;
      leftSum += v;
      leftSq += v * v;
      const nl = i + 1;
      const nr = sorted.length - nl;
      const here = x[sorted[i] as number]?.[f] ?? 0;
      const next = x[sorted[i + 1] as number]?.[f] ?? 0;
      if (nl < o.minLeaf || nr < o.minLeaf || here === next) continue;
      const rightSum = totalSum - leftSum;
      const sse = leftSq - (leftSum * leftSum) / nl + (totalSq - leftSq) - (rightSum * rightSum) / nr;
      if (best === null || sse < best.sse - 1e-12) best = { feature: f, threshold: (here + next) / 2, sse };
    }
  }
  if (best === null) return { leaf: true, value: mean };
  const { feature, threshold } = best;
  const left = rows.filter((r) => (x[r]?.[feature] ?? 0) <= threshold);
  const right = rows.filter((r) => (x[r]?.[feature] ?? 0) > threshold);
  return { leaf: false, feature, threshold, left: grow(x, y, left, depth + 1, o), right: grow(x, y, right, depth + 1, o) };
}
