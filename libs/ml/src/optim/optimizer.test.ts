import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fillTargets } from '../graph/loss';
import { network } from '../graph/network';
import { GRAD, NEXT, buildTrainGraph } from '../graph/train-graph';
import { dense } from '../layers/dense';
import { OptimizerConfig, stepScalars } from './optimizer';
import { learningRate } from './schedule';

// A reference optimizer written the textbook way in float64 JS (PyTorch's conventions), fed the
// gradients of the gradient-only graph; the in-graph update must land on the same weights.
type Vec = Float64Array;
function reference(cfg: OptimizerConfig, w: Vec, g: Vec, st: Vec[], t: number, lr: number, decay: boolean): void {
  const wd = decay ? cfg.weightDecay : 0;
  for (let i = 0; i < w.length; i++) {
    let gi = (g[i] ?? 0) + (cfg.kind !== 'adamw' ? wd * (w[i] ?? 0) : 0);
    if (cfg.kind === 'sgd') {
      const m = (st[0] as Vec)[i] = cfg.momentum * ((st[0] as Vec)[i] ?? 0) + gi;
      gi = cfg.nesterov ? gi + cfg.momentum * m : m;
      w[i] = (w[i] ?? 0) - lr * gi;
    } else {
      const m = ((st[0] as Vec)[i] = cfg.beta1 * ((st[0] as Vec)[i] ?? 0) + (1 - cfg.beta1) * gi);
      const v = ((st[1] as Vec)[i] = cfg.beta2 * ((st[1] as Vec)[i] ?? 0) + (1 - cfg.beta2) * gi * gi);
      const step = m / (1 - cfg.beta1 ** t) / (Math.sqrt(v / (1 - cfg.beta2 ** t)) + cfg.eps);
      w[i] = (w[i] ?? 0) - lr * (step + (cfg.kind === 'adamw' ? wd * (w[i] ?? 0) : 0));
    }
  }
}

const configs = [
  { kind: 'sgd', lr: 0.1, momentum: 0.9 },
  { kind: 'sgd', lr: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.01 },
  { kind: 'sgd', lr: 0.1, momentum: 0 },
  { kind: 'adam', lr: 0.01, weightDecay: 0.01 },
  { kind: 'adamw', lr: 0.01, weightDecay: 0.1 },
] as const;

describe('in-graph optimizers match a float64 reference over 4 steps', () => {
  for (const raw of configs) {
    it(JSON.stringify(raw), async () => {
      const cfg = OptimizerConfig.parse(raw);
      const net = network([5], [dense('d', [5], 3)]);
      const step = await ort.InferenceSession.create(buildTrainGraph(net, { dtype: 'float64', lowering: 'portable', optimizer: cfg }).model);
      const grads = await ort.InferenceSession.create(buildTrainGraph(net, { dtype: 'float64', lowering: 'portable' }).model);
      const x = new ort.Tensor('float64', Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 1)), [2, 5]);
      const tgt = new Float64Array(6);
      fillTargets(tgt, [1, 2], 2, 3, 0);
      const target = new ort.Tensor('float64', tgt, [2, 3]);
      const init = { 'd.w': Float64Array.from({ length: 15 }, (_, i) => Math.cos(i) * 0.3), 'd.b': Float64Array.from([0.1, -0.2, 0.05]) };
      const shapes = { 'd.w': [3, 5], 'd.b': [3] };
      const ref = { 'd.w': init['d.w'].slice(), 'd.b': init['d.b'].slice() };
      const refState = { 'd.w': [new Float64Array(15), new Float64Array(15)], 'd.b': [new Float64Array(3), new Float64Array(3)] };
      let carried: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(init)) {
        carried[k] = new ort.Tensor('float64', v.slice(), shapes[k as keyof typeof shapes]);
        for (const s of cfg.kind === 'sgd' ? (cfg.momentum > 0 ? ['m'] : []) : ['m', 'v']) {
          carried[`${k}.${s}`] = new ort.Tensor('float64', new Float64Array(v.length), shapes[k as keyof typeof shapes]);
        }
      }
      for (let t = 1; t <= 4; t++) {
        const lr = learningRate(cfg.lr, { kind: 'cosine', minFactor: 0 }, t - 1, 4, 4);
        const g = await grads.run({ x, target, 'd.w': new ort.Tensor('float64', ref['d.w'], [3, 5]), 'd.b': new ort.Tensor('float64', ref['d.b'], [3]) });
        reference(cfg, ref['d.w'], g[GRAD('d.w')]?.data as Vec, refState['d.w'], t, lr, true);
        reference(cfg, ref['d.b'], g[GRAD('d.b')]?.data as Vec, refState['d.b'], t, lr, false);
        const scalars = Object.fromEntries(Object.entries(stepScalars(cfg, lr, t)).map(([k, v]) => [k, new ort.Tensor('float64', Float64Array.from([v]), [])]));
        const out = await step.run({ x, target, ...carried, ...scalars });
        const next: Record<string, ort.Tensor> = {};
        for (const k of Object.keys(carried)) {
          const o = out[NEXT(k)];
          if (!o) throw new Error(`no output for ${k}`);
          next[k] = o;
        }
        carried = next;
      }
      for (const k of ['d.w', 'd.b'] as const) {
        const got = carried[k]?.data as Vec;
        ref[k].forEach((v, i) => expect(got[i], `${k}[${i}]`).toBeCloseTo(v, 12));
        // and training moved the weights: the check compares a real update, not two copies of init
        expect(Math.max(...ref[k].map((v, i) => Math.abs(v - (init[k][i] ?? 0))))).toBeGreaterThan(1e-4);
      }
    });
  }
});

describe('learning-rate schedules', () => {
  it('step, cosine and one-cycle follow their definitions', () => {
    expect(learningRate(0.1, { kind: 'step', everyEpochs: 2, gamma: 0.5 }, 25, 100, 10)).toBeCloseTo(0.05);
    expect(learningRate(0.1, { kind: 'cosine', minFactor: 0 }, 0, 101, 10)).toBeCloseTo(0.1);
    expect(learningRate(0.1, { kind: 'cosine', minFactor: 0 }, 50, 101, 10)).toBeCloseTo(0.05);
    expect(learningRate(0.1, { kind: 'cosine', minFactor: 0.1 }, 100, 101, 10)).toBeCloseTo(0.01);
    const oc = { kind: 'one-cycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 } as const;
    expect(learningRate(0.1, oc, 0, 100, 10)).toBeCloseTo(0.004);
    expect(learningRate(0.1, oc, 30, 100, 10)).toBeCloseTo(0.1);
    expect(learningRate(0.1, oc, 99, 100, 10)).toBeCloseTo(0.004 / 1e4);
  });
});
