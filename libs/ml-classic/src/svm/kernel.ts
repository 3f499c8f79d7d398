import { PIXELS } from '../common/features';

export type KernelType = 'rbf' | 'linear' | 'poly';

export interface KernelSpec {
  readonly type: KernelType;
  readonly gamma: number;
  readonly coef0: number;
  readonly degree: number;
}

/** Applies the kernel to a dot product (and the two squared norms, which RBF needs). */
export function kernelFromDot(k: KernelSpec, dot: number, sqA: number, sqB: number): number {
  switch (k.type) {
    case 'rbf':
      return Math.exp(-k.gamma * Math.max(0, sqA + sqB - 2 * dot));
    case 'linear':
      return dot;
    case 'poly':
      return (k.gamma * dot + k.coef0) ** k.degree;
  }
}

/**
 * Features kept twice: row-major (to read one sample) and column-major (feature f of every row is
 * one contiguous run). A dot product of a sample with every row then costs one contiguous
 * multiply-add sweep per non-zero pixel of the sample (MNIST is ~80% zeros), which the JIT runs
 * far faster than per-pair gathers.
 */
export class FeatureMatrix {
  readonly count: number;
  readonly sqNorms: Float64Array;
  private readonly columns: Float32Array;
  private readonly acc: Float64Array;

  constructor(readonly dense: Float32Array) {
    const n = (this.count = dense.length / PIXELS);
    this.sqNorms = new Float64Array(n);
    this.columns = new Float32Array(dense.length);
    this.acc = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let sq = 0;
      for (let f = 0; f < PIXELS; f++) {
        const v = dense[r * PIXELS + f] as number;
        this.columns[f * n + r] = v;
        sq += v * v;
      }
      this.sqNorms[r] = sq;
    }
  }

  /** dot(x, row j) for every row j, x a dense 784-vector at `xOffset`; returns a shared buffer. */
  dotsWith(x: Float32Array, xOffset: number): Float64Array {
    const n = this.count;
    const acc = this.acc;
    const cols = this.columns;
    acc.fill(0);
    for (let f = 0; f < PIXELS; f++) {
      const v = x[xOffset + f] as number;
      if (v === 0) continue;
      const base = f * n;
      for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + v * (cols[base + j] as number);
    }
    return acc;
  }

  /** Kernel values between dense sample x (squared norm sqX) and every row, into `out`. */
  kernelWith(k: KernelSpec, x: Float32Array, xOffset: number, sqX: number, out: Float32Array | Float64Array): void {
    const dots = this.dotsWith(x, xOffset);
    for (let j = 0; j < this.count; j++) out[j] = kernelFromDot(k, dots[j] as number, sqX, this.sqNorms[j] as number);
  }

  /** Kernel values between row `r` and every row of this matrix, into `out`. */
  kernelRow(k: KernelSpec, r: number, out: Float32Array): void {
    this.kernelWith(k, this.dense, r * PIXELS, this.sqNorms[r] as number, out);
  }
}

/**
 * Kernel rows over the whole training set, computed on demand and kept while they fit in the
 * budget. All 45 one-vs-one sub-problems share it: a digit's row is computed once and serves
 * every pair its class takes part in.
 */
export class KernelCache {
  private readonly rows: (Float32Array | undefined)[];
  private readonly order: number[] = [];
  private head = 0;
  private readonly capacity: number;
  computed = 0;

  constructor(private readonly x: FeatureMatrix, private readonly kernel: KernelSpec, budgetMb: number) {
    this.rows = new Array<Float32Array | undefined>(x.count);
    this.capacity = Math.max(2, Math.floor((budgetMb * 1024 * 1024) / (4 * x.count)));
  }

  row(i: number): Float32Array {
    const cached = this.rows[i];
    if (cached) return cached;
    if (this.order.length - this.head >= this.capacity) {
      // FIFO eviction. The evicted buffer is dropped, not reused: the solver may still hold it as
      // the other row of the current working pair.
      const evict = this.order[this.head++] as number;
      this.rows[evict] = undefined;
      if (this.head > 1 << 16) {
        this.order.splice(0, this.head);
        this.head = 0;
      }
    }
    const buf = new Float32Array(this.x.count);
    this.x.kernelRow(this.kernel, i, buf);
    this.computed++;
    this.rows[i] = buf;
    this.order.push(i);
    return buf;
  }

  diag(i: number): number {
    return kernelFromDot(this.kernel, this.x.sqNorms[i] as number, this.x.sqNorms[i] as number, this.x.sqNorms[i] as number);
  }
}
