import { stratifiedSplit, subset, type DigitSet } from '@inkwell/ml-data';
import { NUM_CLASSES, PIXELS, unitFeatures } from '../common/features';
import { FeatureMatrix, KernelCache, type KernelSpec } from './kernel';
import { decisionValues, pairCount, type SvmModel } from './model';
import { SvmParams, type SvmParamsInput } from './params';
import { fitSigmoid } from './probability';
import { solveBinary } from './smo';

export interface SvmTrainOptions {
  /**
   * Digits (not in the training set) on which the pairwise Platt sigmoids are fitted. When absent,
   * 10% of `train` is held out for it (stratified, seeded) and the SVM trains on the rest.
   */
  readonly calibration?: DigitSet;
  readonly log?: (message: string) => void;
}

export interface SvmTrainReport {
  readonly model: SvmModel;
  readonly params: SvmParams;
  readonly trainCount: number;
  readonly calibrationCount: number;
  readonly kernelRowsComputed: number;
  readonly smoIterations: number;
  readonly seconds: number;
}

function resolveGamma(params: SvmParams, x: Float32Array): number {
  if (typeof params.gamma === 'number') return params.gamma;
  if (params.gamma === 'auto') return 1 / PIXELS;
  let sum = 0, sumSq = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i] as number; sum += v; sumSq += v * v; }
  const mean = sum / x.length;
  const variance = sumSq / x.length - mean * mean;
  return variance > 0 ? 1 / (PIXELS * variance) : 1;
}

/**
 * Trains a multiclass C-SVC one-vs-one, as libsvm does: one SMO problem per pair of classes
 * (45 for digits), sharing one kernel-row cache, then a Platt sigmoid per pair on calibration
 * digits for probabilities.
 */
export function trainSvm(set: DigitSet, paramsInput: SvmParamsInput = {}, options: SvmTrainOptions = {}): SvmTrainReport {
  const started = performance.now();
  const params = SvmParams.parse(paramsInput);
  const log = options.log ?? (() => undefined);
  let train = set;
  let calibration = options.calibration;
  if (!calibration) {
    const split = stratifiedSplit(set.labels, { validationFraction: 0.1, seed: params.seed });
    train = subset(set, split.train);
    calibration = subset(set, split.validation);
  }
  const K = NUM_CLASSES;
  const x = unitFeatures(train);
  const kernel: KernelSpec = { type: params.kernel, gamma: resolveGamma(params, x), coef0: params.coef0, degree: params.degree };
  const features = new FeatureMatrix(x);
  const cache = new KernelCache(features, kernel, params.cacheMb);
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < train.count; i++) byClass[train.labels[i] as number]?.push(i);
  const missing = byClass.flatMap((rows, c) => (rows.length === 0 ? [c] : []));
  // A class without training digits has no support vectors, and onnxruntime's SVMClassifier
  // cannot represent that: refuse rather than export a model that fails to load.
  if (missing.length > 0) throw new RangeError(`SVM training digits lack class(es) ${missing.join(', ')}`);

  // alphaY[pair] maps a training row to alpha * y in that pair's problem.
  const pairAlphaY: Map<number, number>[] = [];
  const rhos = new Float64Array(pairCount(K));
  let iterations = 0;
  let q = 0;
  for (let a = 0; a < K - 1; a++) {
    for (let b = a + 1; b < K; b++, q++) {
      const A = byClass[a] ?? [], B = byClass[b] ?? [];
      const members = Int32Array.from([...A, ...B]);
      const y = Int8Array.from(members, (_, k) => (k < A.length ? 1 : -1));
      const sol = solveBinary({ members, y, C: params.C, tol: params.tol }, cache);
      iterations += sol.iterations;
      rhos[q] = sol.rho;
      const coef = new Map<number, number>();
      for (let k = 0; k < members.length; k++) {
        const al = sol.alpha[k] as number;
        if (al > 0) coef.set(members[k] as number, al * (y[k] as number));
      }
      pairAlphaY.push(coef);
      log(`svm pair ${a}-${b}: ${members.length} samples, ${coef.size} SVs, ${sol.iterations} iterations, ${cache.computed} kernel rows so far`);
    }
  }

  // Support vectors: rows with a non-zero alpha in any pair, grouped by class.
  const isSV = new Uint8Array(train.count);
  for (const coef of pairAlphaY) for (const row of coef.keys()) isSV[row] = 1;
  const svRows: number[] = [];
  const vectorsPerClass: number[] = [];
  for (let c = 0; c < K; c++) {
    const rows = (byClass[c] ?? []).filter((r) => isSV[r] === 1);
    vectorsPerClass.push(rows.length);
    svRows.push(...rows);
  }
  const nSV = svRows.length;
  const supportVectors = new Float32Array(nSV * PIXELS);
  svRows.forEach((row, s) => supportVectors.set(x.subarray(row * PIXELS, (row + 1) * PIXELS), s * PIXELS));
  const coefficients = new Float32Array((K - 1) * nSV);
  q = 0;
  for (let a = 0; a < K - 1; a++) {
    for (let b = a + 1; b < K; b++, q++) {
      const coef = pairAlphaY[q] ?? new Map<number, number>();
      svRows.forEach((row, s) => {
        const v = coef.get(row);
        if (v === undefined) return;
        // libsvm layout: a class-a vector's coefficient for pair (a, b) sits in row b-1, a class-b vector's in row a.
        const r = train.labels[row] === a ? b - 1 : a;
        coefficients[r * nSV + s] = v;
      });
    }
  }
  const unscaled: SvmModel = { kind: 'svm', numClasses: K, kernel, supportVectors, vectorsPerClass, coefficients, rho: rhos, sigmoids: [] };

  // Platt sigmoids on held-out decision values (libsvm uses internal 5-fold CV instead, 5x the training).
  const dec = decisionValues(unscaled, unitFeatures(calibration));
  const P = pairCount(K);
  const sigmoids = [];
  q = 0;
  for (let a = 0; a < K - 1; a++) {
    for (let b = a + 1; b < K; b++, q++) {
      const f: number[] = [];
      const pos: boolean[] = [];
      for (let s = 0; s < calibration.count; s++) {
        const l = calibration.labels[s];
        if (l !== a && l !== b) continue;
        f.push(dec[s * P + q] as number);
        pos.push(l === a);
      }
      sigmoids.push(fitSigmoid(f, pos));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log(`svm: ${nSV} support vectors, ${iterations} SMO iterations, ${cache.computed} kernel rows, ${seconds.toFixed(1)} s`);
  return {
    model: { ...unscaled, sigmoids },
    params,
    trainCount: train.count,
    calibrationCount: calibration.count,
    kernelRowsComputed: cache.computed,
    smoIterations: iterations,
    seconds,
  };
}
