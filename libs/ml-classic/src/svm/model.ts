import { PIXELS } from '../common/features';
import { FeatureMatrix, type KernelSpec } from './kernel';
import { couplePairwise, pairProbability, type Sigmoid } from './probability';

/**
 * A trained one-vs-one SVM in libsvm's layout, which is also ONNX SVMClassifier's:
 * support vectors grouped by class; coefficients [K-1, nSV] where, for pair (i, j) with i < j,
 * class-i vectors use row j-1 and class-j vectors use row i; decision_ij(x) =
 * sum coef * K(sv, x) - rho_ij, positive meaning class i.
 */
export interface SvmModel {
  readonly kind: 'svm';
  readonly numClasses: number;
  readonly kernel: KernelSpec;
  /** [nSV, 784], features = pixel / 255. */
  readonly supportVectors: Float32Array;
  readonly vectorsPerClass: readonly number[];
  readonly coefficients: Float32Array;
  /** One per pair, in order (0,1), (0,2), ..., (K-2,K-1). */
  readonly rho: Float64Array;
  readonly sigmoids: readonly Sigmoid[];
}

export function pairCount(K: number): number {
  return (K * (K - 1)) / 2;
}

/** Decision values [n, pairs] for `n` feature rows (pixel / 255). */
export function decisionValues(model: SvmModel, x: Float32Array): Float64Array {
  const K = model.numClasses;
  const n = x.length / PIXELS;
  const sv = new FeatureMatrix(model.supportVectors);
  const nSV = sv.count;
  const starts: number[] = [];
  let acc = 0;
  for (const c of model.vectorsPerClass) { starts.push(acc); acc += c; }
  const out = new Float64Array(n * pairCount(K));
  const kv = new Float64Array(nSV);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let f = 0; f < PIXELS; f++) { const v = x[r * PIXELS + f] as number; sq += v * v; }
    sv.kernelWith(model.kernel, x, r * PIXELS, sq, kv);
    let p = 0;
    for (let i = 0; i < K - 1; i++) {
      for (let j = i + 1; j < K; j++, p++) {
        let sum = 0;
        const si = starts[i] as number, sj = starts[j] as number;
        const rowI = (j - 1) * nSV, rowJ = i * nSV;
        for (let m = si; m < si + (model.vectorsPerClass[i] as number); m++) sum += (model.coefficients[rowI + m] as number) * (kv[m] as number);
        for (let m = sj; m < sj + (model.vectorsPerClass[j] as number); m++) sum += (model.coefficients[rowJ + m] as number) * (kv[m] as number);
        out[r * pairCount(K) + p] = sum - (model.rho[p] as number);
      }
    }
  }
  return out;
}

/** Class probabilities [n, K] from Platt sigmoids and pairwise coupling. */
export function svmPredictProba(model: SvmModel, x: Float32Array): Float32Array {
  const K = model.numClasses;
  const P = pairCount(K);
  const dec = decisionValues(model, x);
  const n = dec.length / P;
  const out = new Float32Array(n * K);
  const r = new Float64Array(K * K);
  const p = new Float64Array(K);
  for (let s = 0; s < n; s++) {
    let q = 0;
    for (let i = 0; i < K - 1; i++) {
      for (let j = i + 1; j < K; j++, q++) {
        const pij = pairProbability(dec[s * P + q] as number, model.sigmoids[q] ?? { a: 0, b: 0 });
        r[i * K + j] = pij;
        r[j * K + i] = 1 - pij;
      }
    }
    couplePairwise(r, K, p);
    for (let k = 0; k < K; k++) out[s * K + k] = p[k] as number;
  }
  return out;
}
