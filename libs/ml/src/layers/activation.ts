import type { Ctx } from '../graph/ctx';
import type { Layer, Tape } from './layer';

export type Activation = 'relu' | 'tanh' | 'sigmoid';

/** Elementwise activation. Backward uses the output y: relu' = [y > 0], tanh' = 1 - y^2, sigmoid' = y (1 - y). */
export function activation(id: string, shape: readonly number[], fn: Activation): Layer {
  return {
    id,
    info: fn === 'relu' ? { kind: 'relu' } : { kind: 'other' },
    inShape: shape,
    outShape: shape,
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string): Tape {
      const y = ctx.op(fn === 'relu' ? 'Relu' : fn === 'tanh' ? 'Tanh' : 'Sigmoid', [x]);
      return {
        y,
        back(dy, needDx) {
          if (!needDx) return undefined;
          if (fn === 'relu') return ctx.op('Where', [ctx.op('Greater', [y, ctx.scalar(0)]), dy, ctx.scalar(0)]);
          if (fn === 'tanh') return ctx.op('Mul', [dy, ctx.op('Sub', [ctx.scalar(1), ctx.op('Mul', [y, y])])]);
          return ctx.op('Mul', [dy, ctx.op('Mul', [y, ctx.op('Sub', [ctx.scalar(1), y])])]);
        },
      };
    },
  };
}
