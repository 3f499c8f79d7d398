import type { Rng } from '@inkwell/ml-data';

/**
 * One CART tree over byte features. Node n is a leaf when feature[n] === -1; otherwise a sample
 * goes left when x[feature] <= threshold. Leaves hold class frequencies (value[n*K .. n*K+K)).
 */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float32Array;
}

/** Training data laid out column-major (feature f of sample s at f*count + s) for cache-friendly split search. */
export interface ColumnData {
  readonly count: number;
  readonly features: number;
  readonly numClasses: number;
  readonly columns: Uint8Array;
  readonly labels: Uint8Array;
}

export interface TreeOptions {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly maxFeatures: number;
}

const BINS = 256;

/**
 * Grows one tree on the samples `idx` (a bootstrap sample may repeat indices) by exhaustive Gini
 * splits over `maxFeatures` randomly drawn features per node. Pixels are bytes, so each feature's
 * split search is a 256-bin class histogram: one pass over the node's samples, then a scan of
 * the bins that occur (no sorting of samples).
 */
export function growTree(data: ColumnData, idx: Int32Array, options: TreeOptions, rng: Rng): Tree {
  const { count: N, features: F, numClasses: K, columns, labels } = data;
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [];
  const value: number[] = [];
  const hist = new Int32Array(BINS * K);
  const binTotal = new Int32Array(BINS);
  const touched = new Int32Array(BINS);
  const parentCounts = new Float64Array(K);
  const leftCounts = new Float64Array(K);
  const rightCounts = new Float64Array(K);
  const order = Int32Array.from({ length: F }, (_, f) => f);

  const newNode = (): number => {
    feature.push(-1); threshold.push(0); left.push(-1); right.push(-1);
    for (let k = 0; k < K; k++) value.push(0);
    return feature.length - 1;
  };

  const stack: { start: number; end: number; depth: number; node: number }[] = [{ start: 0, end: idx.length, depth: 0, node: newNode() }];
  while (stack.length > 0) {
    const { start, end, depth, node } = stack.pop() as { start: number; end: number; depth: number; node: number };
    const n = end - start;
    parentCounts.fill(0);
    for (let p = start; p < end; p++) parentCounts[labels[idx[p] as number] as number]! += 1;
    let classesPresent = 0;
    for (let k = 0; k < K; k++) {
      value[node * K + k] = (parentCounts[k] as number) / n;
      if ((parentCounts[k] as number) > 0) classesPresent++;
    }
    if (classesPresent <= 1 || n < options.minSamplesSplit || depth >= options.maxDepth) continue;

    let bestScore = -Infinity, bestFeature = -1, bestThreshold = 0;
    let evaluated = 0;
    // Draw features without replacement until maxFeatures non-constant ones were searched
    // (constant features do not count, as in scikit-learn).
    for (let drawn = 0; drawn < F && evaluated < options.maxFeatures; drawn++) {
      const pick = drawn + rng.int(F - drawn);
      const f = order[pick] as number;
      order[pick] = order[drawn] as number;
      order[drawn] = f;
      const col = f * N;
      let nTouched = 0;
      for (let p = start; p < end; p++) {
        const s = idx[p] as number;
        const v = columns[col + s] as number;
        if (binTotal[v] === 0) touched[nTouched++] = v;
        binTotal[v]! += 1;
        hist[v * K + (labels[s] as number)]! += 1;
      }
      if (nTouched > 1) {
        evaluated++;
        // Occurring byte values in ascending order, without allocating: insertion sort when few
        // (deep nodes), otherwise a sweep over the 256 bins.
        if (nTouched <= 48) {
          for (let a = 1; a < nTouched; a++) {
            const v = touched[a] as number;
            let b = a - 1;
            while (b >= 0 && (touched[b] as number) > v) { touched[b + 1] = touched[b] as number; b--; }
            touched[b + 1] = v;
          }
        } else {
          let w = 0;
          for (let v = 0; v < BINS; v++) if ((binTotal[v] as number) > 0) touched[w++] = v;
        }
        const bins = touched;
        leftCounts.fill(0);
        rightCounts.set(parentCounts);
        let leftSq = 0, rightSq = 0;
        for (let k = 0; k < K; k++) rightSq += (parentCounts[k] as number) ** 2;
        let nLeft = 0;
        for (let b = 0; b < nTouched - 1; b++) {
          const v = bins[b] as number;
          for (let k = 0; k < K; k++) {
            const c = hist[v * K + k] as number;
            if (c === 0) continue;
            const l = leftCounts[k] as number, r = rightCounts[k] as number;
            leftSq += c * (2 * l + c);
            rightSq += c * (c - 2 * r);
            leftCounts[k] = l + c;
            rightCounts[k] = r - c;
          }
          nLeft += binTotal[v] as number;
          // Weighted Gini impurity is n - (leftSq/nLeft + rightSq/nRight): maximise the bracket.
          const score = leftSq / nLeft + rightSq / (n - nLeft);
          if (score > bestScore) {
            bestScore = score;
            bestFeature = f;
            bestThreshold = (v + (bins[b + 1] as number)) / 2;
          }
        }
      }
      for (let t = 0; t < nTouched; t++) {
        const v = touched[t] as number;
        binTotal[v] = 0;
        for (let k = v * K; k < v * K + K; k++) hist[k] = 0;
      }
    }
    if (bestFeature < 0) continue; // every feature constant here: stays a leaf

    // Partition idx[start, end) in place: x <= threshold to the front.
    const col = bestFeature * N;
    let i = start, j = end - 1;
    while (i <= j) {
      if ((columns[col + (idx[i] as number)] as number) <= bestThreshold) i++;
      else {
        const tmp = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j--] = tmp;
      }
    }
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    const l = newNode(), r = newNode();
    left[node] = l;
    right[node] = r;
    stack.push({ start: i, end, depth: depth + 1, node: r }, { start, end: i, depth: depth + 1, node: l });
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}

/** Index of the leaf that byte features `x` (at `offset`) reach. */
export function leafOf(tree: Tree, x: Uint8Array, offset: number): number {
  let n = 0;
  for (;;) {
    const f = tree.feature[n] as number;
    if (f < 0) return n;
    n = (x[offset + f] as number) <= (tree.threshold[n] as number) ? (tree.left[n] as number) : (tree.right[n] as number);
  }
}
