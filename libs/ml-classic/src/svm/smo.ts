import type { KernelCache } from './kernel';

export interface BinaryProblem {
  /** Global row indices (into the kernel cache) of this sub-problem's samples. */
  readonly members: Int32Array;
  /** +1 or -1 per member. */
  readonly y: Int8Array;
  readonly C: number;
  readonly tol: number;
}

export interface BinarySolution {
  /** Dual coefficients alpha_i in [0, C]; decision(x) = sum_i alpha_i y_i K(x_i, x) - rho. */
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly iterations: number;
}

const TAU = 1e-12;

/**
 * C-SVC dual by SMO with second-order working-set selection (Fan, Chen & Lin, JMLR 2005), the
 * algorithm libsvm uses, without shrinking: minimise 1/2 a'Qa - e'a, 0 <= a <= C, y'a = 0,
 * Q_ij = y_i y_j K_ij. Stops when the maximal KKT violation m(a) - M(a) < tol.
 */
export function solveBinary(p: BinaryProblem, cache: KernelCache): BinarySolution {
  const { members, y, C, tol } = p;
  const l = members.length;
  const alpha = new Float64Array(l);
  const G = new Float64Array(l).fill(-1); // gradient Qa - e at a = 0
  const QD = new Float64Array(l);
  for (let t = 0; t < l; t++) QD[t] = cache.diag(members[t] as number);
  const maxIter = Math.max(10_000_000, 100 * l);
  let iter = 0;

  for (; iter < maxIter; iter++) {
    // i: the most violating index in I_up.
    let Gmax = -Infinity;
    let i = -1;
    for (let t = 0; t < l; t++) {
      if (y[t] === 1) {
        if (alpha[t]! < C && -G[t]! >= Gmax) { Gmax = -G[t]!; i = t; }
      } else if (alpha[t]! > 0 && G[t]! >= Gmax) { Gmax = G[t]!; i = t; }
    }
    if (i < 0) break;
    const Ki = cache.row(members[i] as number);
    const yi = y[i] as number;
    const QDi = QD[i] as number;
    // j: in I_low, the index giving the largest second-order decrease of the objective.
    let Gmax2 = -Infinity;
    let j = -1;
    let objMin = Infinity;
    for (let t = 0; t < l; t++) {
      let gradDiff: number;
      if (y[t] === 1) {
        if (!(alpha[t]! > 0)) continue;
        if (G[t]! >= Gmax2) Gmax2 = G[t]!;
        gradDiff = Gmax + G[t]!;
      } else {
        if (!(alpha[t]! < C)) continue;
        if (-G[t]! >= Gmax2) Gmax2 = -G[t]!;
        gradDiff = Gmax - G[t]!;
      }
      if (gradDiff > 0) {
        let quad = QDi + QD[t]! - 2 * Ki[members[t]!]!;
        if (quad <= 0) quad = TAU;
        const obj = -(gradDiff * gradDiff) / quad;
        if (obj <= objMin) { objMin = obj; j = t; }
      }
    }
    if (Gmax + Gmax2 < tol || j < 0) break;

    const Kj = cache.row(members[j] as number);
    const yj = y[j] as number;
    const Kij = Ki[members[j]!]!;
    const oldAi = alpha[i]!, oldAj = alpha[j]!;
    let ai = oldAi, aj = oldAj;
    let quad = QDi + QD[j]! - 2 * Kij;
    if (quad <= 0) quad = TAU;
    if (yi !== yj) {
      const delta = (-G[i]! - G[j]!) / quad;
      const diff = ai - aj;
      ai += delta; aj += delta;
      if (diff > 0) { if (aj < 0) { aj = 0; ai = diff; } }
      else if (ai < 0) { ai = 0; aj = -diff; }
      if (diff > 0) { if (ai > C) { ai = C; aj = C - diff; } }
      else if (aj > C) { aj = C; ai = C + diff; }
    } else {
      const delta = (G[i]! - G[j]!) / quad;
      const sum = ai + aj;
      ai -= delta; aj += delta;
      if (sum > C) { if (ai > C) { ai = C; aj = sum - C; } }
      else if (aj < 0) { aj = 0; ai = sum; }
      if (sum > C) { if (aj > C) { aj = C; ai = sum - C; } }
      else if (ai < 0) { ai = 0; aj = sum; }
    }
    alpha[i] = ai;
    alpha[j] = aj;
    // G_t += Q_ti dAi + Q_tj dAj, with Q_ti = y_t y_i K_ti.
    const di = (ai - oldAi) * yi;
    const dj = (aj - oldAj) * yj;
    for (let t = 0; t < l; t++) {
      const m = members[t]!;
      G[t] = G[t]! + (y[t] as number) * (Ki[m]! * di + Kj[m]! * dj);
    }
  }

  return { alpha, rho: computeRho(alpha, G, y, C), iterations: iter };
}

/** libsvm's rho: the mean of y_i G_i over free vectors, else the middle of the feasible interval. */
function computeRho(alpha: Float64Array, G: Float64Array, y: Int8Array, C: number): number {
  let ub = Infinity, lb = -Infinity, nFree = 0, sumFree = 0;
  for (let t = 0; t < alpha.length; t++) {
    const yG = (y[t] as number) * (G[t] as number);
    const a = alpha[t] as number;
    if (a >= C) {
      if (y[t] === -1) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
    } else if (a <= 0) {
      if (y[t] === 1) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
}
