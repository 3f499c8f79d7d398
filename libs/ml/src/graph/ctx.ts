import type { GraphBuilder, AttrValue } from '@inkwell/onnx';

export type FloatType = 'float32' | 'float64';

/**
 * How layers lower to ONNX. 'native' uses ORT's fast float-only kernels (Conv, ConvTranspose,
 * MaxUnpool); 'portable' uses only ops with double kernels (im2col + MatMul, col2im via Pad/Sum,
 * ScatterElements) so float64 gradient checks can run the same math.
 */
export type Lowering = 'native' | 'portable';

export type Mode = 'train' | 'infer';

export interface MaskSpec {
  readonly input: string;
  /** Per-sample shape; the graph input is [N, ...shape]. */
  readonly shape: readonly number[];
  /** Probability of dropping a unit; kept units are scaled by 1 / (1 - rate). */
  readonly rate: number;
}

/** State shared by the layers while one graph is being emitted. */
export class Ctx {
  /** Parameter name -> tensor holding dLoss/dParam. */
  readonly grads = new Map<string, string>();
  /** Buffer name (batch-norm running statistics) -> tensor holding its value after this step. */
  readonly bufferUpdates = new Map<string, string>();
  readonly masks: MaskSpec[] = [];
  private readonly consts = new Map<string, string>();

  constructor(
    readonly g: GraphBuilder,
    readonly dtype: FloatType,
    readonly lowering: Lowering,
  ) {}

  op(type: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): string {
    return this.g.node(type, inputs, attrs);
  }

  /** A scalar constant in the graph's float type (shared between uses). */
  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.consts.get(key);
    if (name === undefined) {
      name = this.g.constant(this.dtype, [], [value], 'scalar');
      this.consts.set(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (axes, shapes, pads, slice bounds). */
  ints(values: readonly number[]): string {
    const key = `i:${values.join(',')}`;
    let name = this.consts.get(key);
    if (name === undefined) {
      name = this.g.constant('int64', [values.length], values, 'ints');
      this.consts.set(key, name);
    }
    return name;
  }

  /** Accumulates a gradient (a parameter used twice gets the sum). */
  addGrad(param: string, grad: string): void {
    const prev = this.grads.get(param);
    this.grads.set(param, prev === undefined ? grad : this.op('Add', [prev, grad]));
  }

  /** Declares a dropout mask fed from JS each step. */
  mask(id: string, shape: readonly number[], rate: number): string {
    const input = this.g.input(`mask.${id}`, this.dtype, ['N', ...shape]);
    this.masks.push({ input, shape, rate });
    return input;
  }

  /** Tensor of the batch size as a scalar of the graph's float type, taken from tensor `x`'s first dim. */
  batchSize(x: string): string {
    const shape = this.op('Shape', [x], { start: 0, end: 1 });
    return this.op('Cast', [this.op('Squeeze', [shape, this.ints([0])])], { to: this.dtype === 'float32' ? 1 : 11 });
  }
}
