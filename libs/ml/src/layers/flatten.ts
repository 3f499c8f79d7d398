import type { Ctx } from '../graph/ctx';
import { type Layer, type Tape, size } from './layer';

/** [N, C, H, W] -> [N, C*H*W] (a view: same memory order as PyTorch's flatten). */
export function flatten(id: string, inShape: readonly number[]): Layer {
  const flat = size(inShape);
  return {
    id,
    info: { kind: 'other' },
    inShape,
    outShape: [flat],
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      return {
        y: ctx.op('Reshape', [x, ctx.ints([-1, flat])]),
        back: (dy, needDx) => (needDx ? ctx.op('Reshape', [dy, ctx.ints([-1, ...inShape])]) : undefined),
      };
    },
  };
}
