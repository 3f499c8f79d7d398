import type { Ctx, Mode } from '../graph/ctx';
import { type Layer, type Tape, type TensorSpec, size } from './layer';

export const BN_EPS = 1e-5;
/** PyTorch's convention: running = (1 - momentum) * running + momentum * batch statistic. */
export const BN_MOMENTUM = 0.1;

/**
 * Batch normalisation over the batch (and spatial) axes, per channel. Training mode normalises with
 * batch statistics and updates the running mean / unbiased variance; inference mode uses the running
 * statistics (and is folded into the preceding conv at export).
 */
export function batchNorm(id: string, inShape: readonly number[]): Layer {
  const [c] = inShape;
  if (c === undefined || (inShape.length !== 1 && inShape.length !== 3)) throw new Error(`batchNorm ${id} needs [C] or [C, H, W]`);
  const spatial = size(inShape) / c;
  const axes = inShape.length === 3 ? [0, 2, 3] : [0];
  const bcast = inShape.length === 3 ? [1, c, 1, 1] : [1, c];
  const gamma: TensorSpec = { name: `${id}.gamma`, shape: [c], init: { kind: 'constant', value: 1 }, decay: false };
  const beta: TensorSpec = { name: `${id}.beta`, shape: [c], init: { kind: 'constant', value: 0 }, decay: false };
  const mean: TensorSpec = { name: `${id}.mean`, shape: [c], init: { kind: 'constant', value: 0 }, decay: false };
  const variance: TensorSpec = { name: `${id}.var`, shape: [c], init: { kind: 'constant', value: 1 }, decay: false };

  return {
    id,
    info: { kind: 'batchNorm' },
    inShape,
    outShape: inShape,
    params: [gamma, beta],
    buffers: [mean, variance],
    forward(ctx: Ctx, x: string, mode: Mode): Tape {
      if (mode === 'infer') {
        const y = ctx.op('BatchNormalization', [x, gamma.name, beta.name, mean.name, variance.name], { epsilon: BN_EPS });
        return { y, back: () => { throw new Error('batch-norm has no backward in inference mode'); } };
      }
      const shape = ctx.ints(bcast);
      const g = ctx.op('Reshape', [gamma.name, shape]);
      const mu = ctx.op('ReduceMean', [x], { axes, keepdims: 1 });
      const xc = ctx.op('Sub', [x, mu]);
      const v = ctx.op('ReduceMean', [ctx.op('Mul', [xc, xc])], { axes, keepdims: 1 });
      const inv = ctx.op('Reciprocal', [ctx.op('Sqrt', [ctx.op('Add', [v, ctx.scalar(BN_EPS)])])]);
      const xhat = ctx.op('Mul', [xc, inv]);
      const y = ctx.op('Add', [ctx.op('Mul', [xhat, g]), ctx.op('Reshape', [beta.name, shape])]);

      const n = ctx.op('Mul', [ctx.batchSize(x), ctx.scalar(spatial)]);
      const unbias = ctx.op('Div', [n, ctx.op('Sub', [n, ctx.scalar(1)])]);
      const flat = ctx.ints([c]);
      const keep = ctx.scalar(1 - BN_MOMENTUM);
      const take = ctx.scalar(BN_MOMENTUM);
      ctx.bufferUpdates.set(
        mean.name,
        ctx.op('Add', [ctx.op('Mul', [mean.name, keep]), ctx.op('Mul', [ctx.op('Reshape', [mu, flat]), take])]),
      );
      ctx.bufferUpdates.set(
        variance.name,
        ctx.op('Add', [ctx.op('Mul', [variance.name, keep]), ctx.op('Mul', [ctx.op('Mul', [ctx.op('Reshape', [v, flat]), unbias]), take])]),
      );
      return {
        y,
        back(dy, needDx) {
          const red = ctx.ints(axes);
          ctx.addGrad(gamma.name, ctx.op('ReduceSum', [ctx.op('Mul', [dy, xhat]), red], { keepdims: 0 }));
          ctx.addGrad(beta.name, ctx.op('ReduceSum', [dy, red], { keepdims: 0 }));
          if (!needDx) return undefined;
          const dxhat = ctx.op('Mul', [dy, g]);
          const m1 = ctx.op('ReduceMean', [dxhat], { axes, keepdims: 1 });
          const m2 = ctx.op('ReduceMean', [ctx.op('Mul', [dxhat, xhat])], { axes, keepdims: 1 });
          return ctx.op('Mul', [inv, ctx.op('Sub', [ctx.op('Sub', [dxhat, m1]), ctx.op('Mul', [xhat, m2])])]);
        },
      };
    },
  };
}
