/**
 * Probability outputs for a one-vs-one SVM, as libsvm defines them and as onnxruntime's
 * SVMClassifier computes them from prob_a / prob_b:
 *  1. per pair (i, j), r_ij = P(i | i or j, x) = 1 / (1 + exp(A_ij f_ij(x) + B_ij)) (Platt);
 *  2. the K class probabilities by pairwise coupling (Wu, Lin & Weng 2004, method 2).
 */

export interface Sigmoid {
  readonly a: number;
  readonly b: number;
}

function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Fits Platt's sigmoid p(+|f) = 1 / (1 + exp(A f + B)) by Newton's method with backtracking
 * (Lin, Lin & Weng 2007), on Platt's smoothed targets so a separable pair does not drive A to
 * -infinity. `positive[i]` says whether sample i belongs to the pair's first class.
 */
export function fitSigmoid(decision: ArrayLike<number>, positive: ArrayLike<boolean>): Sigmoid {
  const n = decision.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = positive[i] ? hi : lo;
  // loss_i = log(1 + e^z) - (1 - t_i) z with z = A f_i + B.
  const loss = (A: number, B: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = A * (decision[i] as number) + B;
      s += log1pExp(z) - (1 - (target[i] as number)) * z;
    }
    return s;
  };
  let A = 0;
  let B = Math.log((nNeg + 1) / (nPos + 1));
  let f = loss(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
    for (let i = 0; i < n; i++) {
      const fi = decision[i] as number;
      const z = A * fi + B;
      const q = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); // 1 - p
      const d2 = q * (1 - q);
      h11 += fi * fi * d2;
      h22 += d2;
      h21 += fi * d2;
      const d1 = q - (1 - (target[i] as number));
      g1 += fi * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nf = loss(A + step * dA, B + step * dB);
      if (nf < f + 1e-4 * step * gd) {
        A += step * dA;
        B += step * dB;
        f = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break; // line search failed: keep the best point found
  }
  return { a: A, b: B };
}

/** P(first class of the pair) from its decision value, clipped as onnxruntime clips it. */
export function pairProbability(decision: number, s: Sigmoid): number {
  const z = decision * s.a + s.b;
  const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
  return Math.min(1 - 1e-7, Math.max(1e-7, p));
}

/**
 * Pairwise coupling: r is K x K with r[i*K+j] = P(i | i or j). Finds p minimising
 * sum_i sum_{j != i} (r_ji p_i - r_ij p_j)^2 subject to sum p = 1, by the fixed-point iteration of
 * Wu, Lin & Weng (at most 100 sweeps, stop when the optimality error < 0.005 / K), the same
 * iteration onnxruntime runs, so exported and TypeScript probabilities agree.
 */
export function couplePairwise(r: Float64Array, K: number, out: Float64Array): void {
  const Q = new Float64Array(K * K);
  const Qp = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    out[t] = 1 / K;
    for (let j = 0; j < K; j++) {
      if (j === t) continue;
      const rjt = r[j * K + t] as number;
      Q[t * K + t] = (Q[t * K + t] as number) + rjt * rjt;
      Q[t * K + j] = -rjt * (r[t * K + j] as number);
    }
  }
  const eps = 0.005 / K;
  for (let iter = 0; iter < 100; iter++) {
    let pQp = 0;
    for (let t = 0; t < K; t++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += (Q[t * K + j] as number) * (out[j] as number);
      Qp[t] = s;
      pQp += (out[t] as number) * s;
    }
    let maxError = 0;
    for (let t = 0; t < K; t++) maxError = Math.max(maxError, Math.abs((Qp[t] as number) - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < K; t++) {
      const qtt = Q[t * K + t] as number;
      const diff = (-(Qp[t] as number) + pQp) / qtt;
      out[t] = (out[t] as number) + diff;
      pQp = (pQp + diff * (diff * qtt + 2 * (Qp[t] as number))) / (1 + diff) / (1 + diff);
      for (let j = 0; j < K; j++) {
        Qp[j] = ((Qp[j] as number) + diff * (Q[t * K + j] as number)) / (1 + diff);
        out[j] = (out[j] as number) / (1 + diff);
      }
    }
  }
}
