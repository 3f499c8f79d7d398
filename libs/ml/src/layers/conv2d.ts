import type { Ctx } from '../graph/ctx';
import { patches, unpatches, window } from '../graph/patches';
import type { Layer, Tape, TensorSpec } from './layer';

export interface Conv2dOptions {
  readonly filters: number;
  readonly kernel: number;
  readonly stride?: number;
  /** Zero padding on each side; defaults to 'same' for stride 1 (kernel >> 1). */
  readonly pad?: number;
  /** Batch-norm after a conv makes its bias redundant. */
  readonly bias?: boolean;
  /** 'he' (normal, fan-in) suits deep ReLU nets; 'torch' is PyTorch's default uniform(1/sqrt(fan-in)). */
  readonly init?: 'he' | 'torch';
}

/**
 * 2-D convolution, weights [Cout, Cin, K, K]. Native lowering: Conv forward, ConvTranspose for dx.
 * dW always uses an explicit im2col in a layout that makes it one GEMM: [Cout, N*P] x [N*P, Cin*K*K].
 */
export function conv2d(id: string, inShape: readonly number[], opts: Conv2dOptions): Layer {
  const [cin, h, w] = inShape;
  if (inShape.length !== 3 || cin === undefined || h === undefined || h !== w) {
    throw new Error(`conv2d ${id} needs a square [C, H, W] input, got [${inShape.join(', ')}]`);
  }
  const { filters: cout, kernel: k } = opts;
  const stride = opts.stride ?? 1;
  const pad = opts.pad ?? k >> 1;
  const win = window(h, k, stride, pad);
  const fanIn = cin * k * k;
  const bound = 1 / Math.sqrt(fanIn);
  const wSpec: TensorSpec = {
    name: `${id}.w`,
    shape: [cout, cin, k, k],
    init: opts.init === 'he' ? { kind: 'normal', std: Math.sqrt(2 / fanIn) } : { kind: 'uniform', bound },
    decay: true,
  };
  const bSpec: TensorSpec | undefined = opts.bias === false ? undefined : { name: `${id}.b`, shape: [cout], init: { kind: 'uniform', bound }, decay: false };
  const attrs = { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] };
  const p = win.out * win.out;

  return {
    id,
    info: { kind: 'conv2d', options: opts },
    inShape,
    outShape: [cout, win.out, win.out],
    params: bSpec ? [wSpec, bSpec] : [wSpec],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      let y: string;
      let cols: string | undefined;
      if (ctx.lowering === 'native') {
        y = ctx.op('Conv', bSpec ? [x, wSpec.name, bSpec.name] : [x, wSpec.name], attrs);
      } else {
        cols = ctx.op('Reshape', [patches(ctx, x, win, 2), ctx.ints([0, fanIn, p])]);
        const wMat = ctx.op('Reshape', [wSpec.name, ctx.ints([cout, fanIn])]);
        y = ctx.op('Reshape', [ctx.op('MatMul', [wMat, cols]), ctx.ints([-1, cout, win.out, win.out])]);
        if (bSpec) y = ctx.op('Add', [y, ctx.op('Reshape', [bSpec.name, ctx.ints([1, cout, 1, 1])])]);
      }
      return {
        y,
        back(dy, needDx) {
          // dW = dY' cols'^T with dY' = [Cout, N*P] and cols' = [Cin*K*K, N*P]: a single large GEMM.
          const dyT = ctx.op('Reshape', [ctx.op('Transpose', [dy], { perm: [1, 0, 2, 3] }), ctx.ints([cout, -1])]);
          const xT = ctx.op('Transpose', [x], { perm: [1, 0, 2, 3] });
          const colsT = ctx.op('Reshape', [patches(ctx, xT, win, 1), ctx.ints([fanIn, -1])]);
          const dW = ctx.op('Gemm', [dyT, colsT], { transB: 1 });
          ctx.addGrad(wSpec.name, ctx.op('Reshape', [dW, ctx.ints([cout, cin, k, k])]));
          if (bSpec) ctx.addGrad(bSpec.name, ctx.op('ReduceSum', [dy, ctx.ints([0, 2, 3])], { keepdims: 0 }));
          if (!needDx) return undefined;
          if (ctx.lowering === 'native') {
            const outputPadding = h - ((win.out - 1) * stride - 2 * pad + k);
            return ctx.op('ConvTranspose', [dy, wSpec.name], { ...attrs, output_padding: [outputPadding, outputPadding] });
          }
          const wMatT = ctx.op('Transpose', [ctx.op('Reshape', [wSpec.name, ctx.ints([cout, fanIn])])], { perm: [1, 0] });
          const dCols = ctx.op('MatMul', [wMatT, ctx.op('Reshape', [dy, ctx.ints([-1, cout, p])])]);
          return unpatches(ctx, ctx.op('Reshape', [dCols, ctx.ints([-1, cin, k * k, win.out, win.out])]), cin, win);
        },
      };
    },
  };
}
