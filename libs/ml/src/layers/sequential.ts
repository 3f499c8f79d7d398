import type { Ctx, Mode } from '../graph/ctx';
import type { Layer, Tape } from './layer';

/** Runs layers in order; backward runs them in reverse. An empty list is the identity. */
export function sequentialForward(ctx: Ctx, layers: readonly Layer[], x: string, mode: Mode): Tape {
  const tapes: Tape[] = [];
  let y = x;
  for (const layer of layers) {
    const t = layer.forward(ctx, y, mode);
    tapes.push(t);
    y = t.y;
  }
  return {
    y,
    back(dy, needDx) {
      let d: string | undefined = dy;
      for (let i = tapes.length - 1; i >= 0; i--) {
        const t = tapes[i] as Tape;
        // The first layer's input gradient is only needed when the caller asks for dx.
        d = t.back(d as string, i > 0 || needDx);
      }
      return needDx ? d : undefined;
    },
  };
}
