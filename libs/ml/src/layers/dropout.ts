import type { Ctx, Mode } from '../graph/ctx';
import type { Layer, Tape } from './layer';

/**
 * Inverted dropout. The mask (0 or 1/(1-rate) per unit) is a graph input filled from the run's seeded
 * RNG, so a run is reproducible and resumable; in inference mode the layer emits nothing.
 */
export function dropout(id: string, shape: readonly number[], rate: number): Layer {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout ${id}: rate ${rate} is outside [0, 1)`);
  return {
    id,
    info: { kind: 'dropout' },
    inShape: shape,
    outShape: shape,
    params: [],
    buffers: [],
    forward(ctx: Ctx, x: string, mode: Mode): Tape {
      if (mode === 'infer' || rate === 0) return { y: x, back: (dy, needDx) => (needDx ? dy : undefined) };
      const mask = ctx.mask(id, shape, rate);
      return {
        y: ctx.op('Mul', [x, mask]),
        back: (dy, needDx) => (needDx ? ctx.op('Mul', [dy, mask]) : undefined),
      };
    },
  };
}
