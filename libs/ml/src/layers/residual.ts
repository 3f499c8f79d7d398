import type { Ctx, Mode } from '../graph/ctx';
import type { Layer, Tape } from './layer';
import { sequentialForward } from './sequential';

/**
 * y = main(x) + shortcut(x). An empty shortcut is the identity. The gradient reaching y flows
 * through both branches and their input gradients add up.
 */
export function residual(id: string, main: readonly Layer[], shortcut: readonly Layer[]): Layer {
  const first = main[0];
  const last = main[main.length - 1];
  if (!first || !last) throw new Error(`residual ${id} needs a main branch`);
  const shortOut = shortcut[shortcut.length - 1]?.outShape ?? first.inShape;
  if (shortOut.join() !== last.outShape.join()) {
    throw new Error(`residual ${id}: branch shapes differ [${last.outShape.join(', ')}] vs [${shortOut.join(', ')}]`);
  }
  const all = [...main, ...shortcut];
  return {
    id,
    info: { kind: 'residual', main, shortcut },
    inShape: first.inShape,
    outShape: last.outShape,
    params: all.flatMap((l) => l.params),
    buffers: all.flatMap((l) => l.buffers),
    forward(ctx: Ctx, x: string, mode: Mode): Tape {
      const a = sequentialForward(ctx, main, x, mode);
      const b = sequentialForward(ctx, shortcut, x, mode);
      return {
        y: ctx.op('Add', [a.y, b.y]),
        back(dy, needDx) {
          const da = a.back(dy, needDx);
          const db = b.back(dy, needDx);
          if (!needDx || da === undefined || db === undefined) return undefined;
          return ctx.op('Add', [da, db]);
        },
      };
    },
  };
}
