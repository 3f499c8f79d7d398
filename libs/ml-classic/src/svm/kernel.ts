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
 * Row-major dense features plus a sparse copy (MNIST is ~80% zeros), so a kernel row costs one
 * dense-sparse product per column instead of a 784-long dense one.
 */
export class FeatureMatrix {
  readonly count: number;
  readonly sqNorms: Float64Array;
  private readonly start: Int32Array;
  private readonly idx: Uint16Array;
  private readonly val: Float32Array;

  constructor(readonly dense: Float32Array) {
    this.count = dense.length / PIXELS;
    this.sqNorms = new Float64Array(this.count);
    let nnz = 0;
    for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nnz++;
    this.start = new Int32Array(this.count + 1);
    this.idx = new Uint16Array(nnz);
    this.val = new Float32Array(nnz);
    let p = 0;
    for (let r = 0; r < this.count; r++) {
      this.start[r] = p;
      let sq = 0;
      for (let f = 0; f < PIXELS; f++) {
        const v = dense[r * PIXELS + f] as number;
        if (v !== 0) {
          this.idx[p] = f;
          this.val[p++] = v;
          sq += v * v;
        }
      }
      this.sqNorms[r] = sq;
    }
    this.start[this.count] = p;
  }

  /** dot(row r of this matrix, dense vector x of length 784). */
  dotDense(r: number, x: Float32Array, xOffset = 0): number {
    let s = 0;
    const end = this.start[r + 1] as number;
    for (let p = this.start[r] as number; p < end; p++) s += (this.val[p] as number) * (x[xOffset + (this.idx[p] as number)] as number);
    return s;
  }

  /** Kernel values between row `r` and every row of this matrix, into `out`. */
  kernelRow(k: KernelSpec, r: number, out: Float32Array): void {
    const sqR = this.sqNorms[r] as number;
    const offset = r * PIXELS;
    for (let j = 0; j < this.count; j++) out[j] = kernelFromDot(k, this.dotDense(j, this.dense, offset), sqR, this.sqNorms[j] as number);
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
