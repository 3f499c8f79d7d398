import type { Ctx } from '../graph/ctx';
import { window } from '../graph/patches';
import { type Layer, type Tape, size } from './layer';

function imageShape(id: string, inShape: readonly number[]): [number, number] {
  const [c, h, w] = inShape;
  if (inShape.length !== 3 || c === undefined || h === undefined || h !== w) throw new Error(`${id} needs a square [C, H, W] input`);
  return [c, h];
}

/**
 * Max pooling. Backward routes each gradient to the one input MaxPool chose (its Indices output):
 * an equality mask would be wrong on MNIST's flat background, where windows hold ties.
 * Native lowering scatters with MaxUnpool; portable with ScatterElements (add) on the flat tensor.
 */
export function maxPool(id: string, inShape: readonly number[], k: number, stride = k): Layer {
  const [c, h] = imageShape(id, inShape);
  const win = window(h, k, stride, 0);
  const attrs = { kernel_shape: [k, k], strides: [stride, stride] };
  return {
    id,
    inShape,
    outShape: [c, win.out, win.out],
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      const [y, indices] = ctx.g.nodeN('MaxPool', [x], 2, attrs) as [string, string];
      return {
        y,
        back(dy, needDx) {
          if (!needDx) return undefined;
          const shape = ctx.op('Shape', [x]);
          if (ctx.lowering === 'native') return ctx.op('MaxUnpool', [dy, indices, shape], attrs);
          const zeros = ctx.op('Reshape', [ctx.op('Mul', [x, ctx.scalar(0)]), ctx.ints([-1])]);
          const flat = ctx.op('ScatterElements', [zeros, ctx.op('Reshape', [indices, ctx.ints([-1])]), ctx.op('Reshape', [dy, ctx.ints([-1])])], {
            axis: 0,
            reduction: 'add',
          });
          return ctx.op('Reshape', [flat, shape]);
        },
      };
    },
  };
}

/**
 * Average pooling over non-overlapping k x k windows (input size divisible by k), written as a
 * reshape + ReduceMean so that it also runs in float64 (ORT's AveragePool is float-only).
 */
export function avgPool(id: string, inShape: readonly number[], k: number): Layer {
  const [c, h] = imageShape(id, inShape);
  if (h % k !== 0) throw new Error(`${id}: input ${h} is not divisible by pool ${k}`);
  const o = h / k;
  return {
    id,
    inShape,
    outShape: [c, o, o],
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      const blocks = ctx.op('Reshape', [x, ctx.ints([-1, c, o, k, o, k])]);
      const y = ctx.op('ReduceMean', [blocks], { axes: [3, 5], keepdims: 0 });
      return {
        y,
        back(dy, needDx) {
          if (!needDx) return undefined;
          const spread = ctx.op('Expand', [ctx.op('Reshape', [dy, ctx.ints([-1, c, o, 1, o, 1])]), ctx.ints([1, c, o, k, o, k])]);
          return ctx.op('Mul', [ctx.op('Reshape', [spread, ctx.ints([-1, c, h, h])]), ctx.scalar(1 / (k * k))]);
        },
      };
    },
  };
}

/** Global average pooling: [N, C, H, W] -> [N, C]. */
export function globalAvgPool(id: string, inShape: readonly number[]): Layer {
  const [c, h] = imageShape(id, inShape);
  const area = size(inShape) / c;
  return {
    id,
    inShape,
    outShape: [c],
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      const y = ctx.op('ReduceMean', [x], { axes: [2, 3], keepdims: 0 });
      return {
        y,
        back(dy, needDx) {
          if (!needDx) return undefined;
          const spread = ctx.op('Expand', [ctx.op('Reshape', [dy, ctx.ints([-1, c, 1, 1])]), ctx.ints([1, c, h, h])]);
          return ctx.op('Mul', [spread, ctx.scalar(1 / area)]);
        },
      };
    },
  };
}
