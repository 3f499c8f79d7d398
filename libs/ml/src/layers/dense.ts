import type { Ctx } from '../graph/ctx';
import { type Layer, type Tape, type TensorSpec } from './layer';

/** Fully connected layer y = x W^T + b, W stored [out, in] as in PyTorch (so its default init applies). */
export function dense(id: string, inShape: readonly number[], units: number): Layer {
  const [inF] = inShape;
  if (inShape.length !== 1 || inF === undefined) throw new Error(`dense ${id} needs a flat input, got [${inShape.join(', ')}]`);
  const bound = 1 / Math.sqrt(inF);
  const w: TensorSpec = { name: `${id}.w`, shape: [units, inF], init: { kind: 'uniform', bound }, decay: true };
  const b: TensorSpec = { name: `${id}.b`, shape: [units], init: { kind: 'uniform', bound }, decay: false };
  return {
    id,
    info: { kind: 'other' },
    inShape,
    outShape: [units],
    params: [w, b],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      const y = ctx.op('Gemm', [x, w.name, b.name], { transB: 1 });
      return {
        y,
        back(dy, needDx) {
          ctx.addGrad(w.name, ctx.op('Gemm', [dy, x], { transA: 1 }));
          ctx.addGrad(b.name, ctx.op('ReduceSum', [dy, ctx.ints([0])], { keepdims: 0 }));
          return needDx ? ctx.op('Gemm', [dy, w.name]) : undefined;
        },
      };
    },
  };
}
