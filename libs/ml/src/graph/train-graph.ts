import { GraphBuilder } from '@inkwell/onnx';
import { sequentialForward } from '../layers/sequential';
import { type OptimizerConfig, declareStepScalars, emitUpdate, stateNames } from '../optim/optimizer';
import { Ctx, type FloatType, type Lowering, type MaskSpec } from './ctx';
import { softmaxCrossEntropy } from './loss';
import type { Network } from './network';

export const NEXT = (name: string): string => `next.${name}`;
export const GRAD = (name: string): string => `grad.${name}`;

export interface TrainGraph {
  readonly model: Uint8Array;
  readonly masks: readonly MaskSpec[];
  /** Every tensor fed back each step: parameters, buffers and optimizer states (graph input `n`, output `next.n`). */
  readonly carried: readonly { name: string; shape: readonly number[] }[];
}

export interface TrainGraphOptions {
  readonly dtype: FloatType;
  readonly lowering: Lowering;
  /** With an optimizer, the graph outputs updated tensors (`next.*`); without, raw gradients (`grad.*`). */
  readonly optimizer?: OptimizerConfig;
  /** Also output `grad.x`, the gradient with respect to the input (for gradient checks). */
  readonly inputGrad?: boolean;
}

/**
 * One training step as an ONNX graph. Inputs: `x` [N, ...inShape], `target` [N, classes], parameters,
 * buffers, dropout masks and (with an optimizer) `lr`, states and bias corrections.
 * Outputs: `loss`, `logits`, and either `next.*` for every carried tensor or `grad.*` per parameter.
 */
export function buildTrainGraph(net: Network, opts: TrainGraphOptions): TrainGraph {
  const g = new GraphBuilder('train_step');
  const ctx = new Ctx(g, opts.dtype, opts.lowering);
  const x = g.input('x', opts.dtype, ['N', ...net.inShape]);
  const target = g.input('target', opts.dtype, ['N', net.classes]);
  for (const t of [...net.params, ...net.buffers]) g.input(t.name, opts.dtype, t.shape);
  const carried: { name: string; shape: readonly number[] }[] = [...net.params, ...net.buffers].map((t) => ({ name: t.name, shape: t.shape }));

  const tape = sequentialForward(ctx, net.layers, x, 'train');
  const { loss, dLogits } = softmaxCrossEntropy(ctx, tape.y, target);
  const dx = tape.back(dLogits, opts.inputGrad === true);
  if (dx !== undefined) g.output(g.rename(dx, GRAD('x')), opts.dtype, ['N', ...net.inShape]);
  g.output(g.rename(loss, 'loss'), opts.dtype, []);
  g.output(g.rename(tape.y, 'logits'), opts.dtype, ['N', net.classes]);

  const emit = (name: string, value: string, shape: readonly number[]): void => {
    g.output(g.rename(value, name), opts.dtype, shape);
  };
  for (const b of net.buffers) {
    const next = ctx.bufferUpdates.get(b.name);
    if (next === undefined) throw new Error(`buffer ${b.name} has no update`);
    emit(NEXT(b.name), next, b.shape);
  }
  const opt = opts.optimizer;
  if (opt) declareStepScalars(ctx, opt);
  for (const p of net.params) {
    const grad = ctx.grads.get(p.name);
    if (grad === undefined) throw new Error(`parameter ${p.name} received no gradient`);
    if (!opt) {
      emit(GRAD(p.name), grad, p.shape);
      continue;
    }
    const states = stateNames(opt, p.name);
    for (const s of states) {
      g.input(s, opts.dtype, p.shape);
      carried.push({ name: s, shape: p.shape });
    }
    const upd = emitUpdate(ctx, opt, p.name, grad, p.decay);
    emit(NEXT(p.name), upd.param, p.shape);
    upd.states.forEach((s, i) => emit(NEXT(states[i] as string), s, p.shape));
  }
  return { model: g.toModel(), masks: ctx.masks, carried };
}
