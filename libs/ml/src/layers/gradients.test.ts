import { describe, expect, it } from 'vitest';
import { type GradCase, gradCheck, probe } from '../testing/gradcheck';
import { activation } from './activation';
import { batchNorm } from './batch-norm';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import type { Layer } from './layer';
import { avgPool, globalAvgPool, maxPool } from './pool';
import { residual } from './residual';

// Every case ends in flatten + dense(3) so the loss (softmax cross-entropy with label smoothing 0.1)
// sees the layer under test; `x` gradients check each layer's input gradient, parameter gradients its
// weight gradients. Float64 runs the 'portable' lowering (ORT has no double Conv, ConvTranspose,
// AveragePool or MaxUnpool kernels); the float32 'native' lowering is compared with it below.
const head = (id: string, shape: readonly number[]) => {
  const f = flatten(`${id}f`, shape);
  return [f, dense(`${id}d`, f.outShape, 3)];
};

const cases: Record<string, () => GradCase> = {
  dense: () => {
    const d = dense('d0', [5], 4);
    return { inShape: [5], layers: [d, dense('d1', d.outShape, 3)] };
  },
  relu: () => {
    const d = dense('d0', [5], 6);
    return { inShape: [5], layers: [d, activation('a', d.outShape, 'relu'), dense('d1', [6], 3)] };
  },
  tanh_sigmoid: () => {
    const d = dense('d0', [5], 6);
    return { inShape: [5], layers: [d, activation('a', [6], 'tanh'), activation('s', [6], 'sigmoid'), dense('d1', [6], 3)] };
  },
  'conv2d stride 1 pad same': () => {
    const c = conv2d('c', [2, 5, 5], { filters: 3, kernel: 3 });
    return { inShape: [2, 5, 5], layers: [c, ...head('h', c.outShape)] };
  },
  'conv2d stride 2 pad 1, no bias': () => {
    const c = conv2d('c', [2, 6, 6], { filters: 2, kernel: 3, stride: 2, pad: 1, bias: false });
    return { inShape: [2, 6, 6], layers: [c, ...head('h', c.outShape)] };
  },
  'conv2d 5x5 no pad': () => {
    const c = conv2d('c', [1, 7, 7], { filters: 2, kernel: 5, pad: 0 });
    return { inShape: [1, 7, 7], layers: [c, ...head('h', c.outShape)] };
  },
  maxpool: () => {
    const p = maxPool('p', [2, 4, 4], 2);
    return { inShape: [2, 4, 4], layers: [p, ...head('h', p.outShape)] };
  },
  avgpool: () => {
    const p = avgPool('p', [2, 4, 4], 2);
    return { inShape: [2, 4, 4], layers: [p, ...head('h', p.outShape)] };
  },
  'global average pool': () => {
    const p = globalAvgPool('p', [3, 3, 3]);
    return { inShape: [3, 3, 3], layers: [p, dense('d', p.outShape, 3)] };
  },
  'batch-norm (conv maps)': () => {
    const b = batchNorm('bn', [2, 3, 3]);
    return { inShape: [2, 3, 3], layers: [b, ...head('h', b.outShape)], batch: 4 };
  },
  'batch-norm (vectors)': () => {
    const b = batchNorm('bn', [4]);
    return { inShape: [4], layers: [b, dense('d', [4], 3)], batch: 5 };
  },
  dropout: () => {
    const d = dense('d0', [5], 8);
    return { inShape: [5], layers: [d, dropout('drop', [8], 0.5), dense('d1', [8], 3)] };
  },
  'residual (identity and projection shortcuts)': () => {
    const a = conv2d('a', [2, 4, 4], { filters: 2, kernel: 3 });
    const r1 = residual('r1', [a, activation('ra', a.outShape, 'relu'), conv2d('b', [2, 4, 4], { filters: 2, kernel: 3 })], []);
    const main = [conv2d('c', [2, 4, 4], { filters: 3, kernel: 3, stride: 2, pad: 1, bias: false }), batchNorm('cbn', [3, 2, 2])];
    const r2 = residual('r2', main, [conv2d('s', [2, 4, 4], { filters: 3, kernel: 1, stride: 2, pad: 0, bias: false })]);
    return { inShape: [2, 4, 4], layers: [r1, r2, ...head('h', r2.outShape)], batch: 3 };
  },
  flatten: () => ({ inShape: [2, 2, 2], layers: head('h', [2, 2, 2]) }),
};

describe('float64 finite-difference gradients (central, h = 1e-6)', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(name, async () => {
      const r = await gradCheck(make());
      expect(r.checked).toBeGreaterThan(5);
      expect(r.worst, r.worstAt).toBeLessThan(1e-5);
    });
  }

  it('the check catches a wrong backward (a tanh whose backward forgets the 1 - y^2 factor)', async () => {
    const broken: Layer = {
      ...activation('bad', [6], 'tanh'),
      forward(ctx, x) {
        const y = ctx.op('Tanh', [x]);
        return { y, back: (dy, needDx) => (needDx ? dy : undefined) };
      },
    };
    const d = dense('d0', [5], 6);
    const r = await gradCheck({ inShape: [5], layers: [d, broken, dense('d1', [6], 3)] });
    expect(r.worst).toBeGreaterThan(1e-2);
  });
});

describe('float32 native lowering matches the float64 portable one', () => {
  // Conv, ConvTranspose and MaxUnpool have float kernels only, so they cannot be finite-differenced in
  // double. Their float32 gradients must match the verified float64 graph to float32 precision:
  // a tolerance of 1e-4 relative to the largest gradient allows for ~1e-7 rounding summed over
  // the few hundred terms of these tiny shapes, and is far below any indexing or transpose mistake.
  for (const name of ['conv2d stride 1 pad same', 'conv2d stride 2 pad 1, no bias', 'conv2d 5x5 no pad', 'maxpool', 'residual (identity and projection shortcuts)']) {
    it(name, async () => {
      const make = cases[name];
      if (!make) throw new Error('missing case');
      const ref = await probe(make(), 'float64', 'portable');
      const fast = await probe(make(), 'float32', 'native', ref.feeds);
      expect(Math.abs(fast.loss - ref.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.loss)));
      for (const [tensor, want] of ref.grads) {
        const got = fast.grads.get(tensor) ?? new Float32Array();
        const scale = Math.max(1e-6, ...want.map(Math.abs));
        const err = Math.max(...want.map((v, i) => Math.abs(v - (got[i] ?? NaN))));
        expect(err / scale, tensor).toBeLessThan(1e-4);
      }
    });
  }
});
