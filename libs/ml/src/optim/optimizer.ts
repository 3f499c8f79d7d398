import { z } from 'zod';
import type { Ctx } from '../graph/ctx';

export const SgdConfig = z.object({
  kind: z.literal('sgd'),
  lr: z.number().positive(),
  momentum: z.number().min(0).max(1).default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: z.number().min(0).default(0),
});

export const AdamConfig = z.object({
  /** 'adam' adds weight decay to the gradient (L2); 'adamw' decays the weights directly (Loshchilov & Hutter). */
  kind: z.enum(['adam', 'adamw']),
  lr: z.number().positive(),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  eps: z.number().positive().default(1e-8),
  weightDecay: z.number().min(0).default(0),
});

export const OptimizerConfig = z.discriminatedUnion('kind', [SgdConfig, AdamConfig]);
export type OptimizerConfig = z.infer<typeof OptimizerConfig>;

/** Names of the per-parameter state tensors the optimizer keeps (momentum, Adam's moments). */
export function stateNames(cfg: OptimizerConfig, param: string): string[] {
  if (cfg.kind === 'sgd') return cfg.momentum > 0 ? [`${param}.m`] : [];
  return [`${param}.m`, `${param}.v`];
}

/** Scalar graph inputs fed every step, besides the parameters and states. */
export const STEP_SCALARS = { lr: 'lr', bc1: 'adam.bc1', bc2: 'adam.bc2' } as const;

/** Values for the step scalars at optimizer step t (1-based). */
export function stepScalars(cfg: OptimizerConfig, lr: number, t: number): Record<string, number> {
  if (cfg.kind === 'sgd') return { [STEP_SCALARS.lr]: lr };
  return { [STEP_SCALARS.lr]: lr, [STEP_SCALARS.bc1]: 1 - cfg.beta1 ** t, [STEP_SCALARS.bc2]: 1 - cfg.beta2 ** t };
}

export function declareStepScalars(ctx: Ctx, cfg: OptimizerConfig): void {
  ctx.g.input(STEP_SCALARS.lr, ctx.dtype, []);
  if (cfg.kind !== 'sgd') {
    ctx.g.input(STEP_SCALARS.bc1, ctx.dtype, []);
    ctx.g.input(STEP_SCALARS.bc2, ctx.dtype, []);
  }
}

/**
 * Emits one optimizer step for `param` with gradient `grad`, inside the graph, so a step costs one
 * session run and no JS loop over weights. Returns the updated parameter and states (same order as stateNames).
 */
export function emitUpdate(ctx: Ctx, cfg: OptimizerConfig, param: string, grad: string, decay: boolean): { param: string; states: string[] } {
  const lr = STEP_SCALARS.lr;
  const wd = decay ? cfg.weightDecay : 0;
  const mul = (a: string, b: string): string => ctx.op('Mul', [a, b]);
  const add = (a: string, b: string): string => ctx.op('Add', [a, b]);
  if (cfg.kind === 'sgd') {
    const g = wd > 0 ? add(grad, mul(param, ctx.scalar(wd))) : grad;
    if (cfg.momentum === 0) return { param: ctx.op('Sub', [param, mul(g, lr)]), states: [] };
    const [m] = stateNames(cfg, param) as [string];
    const m2 = add(mul(m, ctx.scalar(cfg.momentum)), g);
    const step = cfg.nesterov ? add(g, mul(m2, ctx.scalar(cfg.momentum))) : m2;
    return { param: ctx.op('Sub', [param, mul(step, lr)]), states: [m2] };
  }
  const [m, v] = stateNames(cfg, param) as [string, string];
  const g = cfg.kind === 'adam' && wd > 0 ? add(grad, mul(param, ctx.scalar(wd))) : grad;
  const m2 = add(mul(m, ctx.scalar(cfg.beta1)), mul(g, ctx.scalar(1 - cfg.beta1)));
  const v2 = add(mul(v, ctx.scalar(cfg.beta2)), mul(mul(g, g), ctx.scalar(1 - cfg.beta2)));
  const mHat = ctx.op('Div', [m2, STEP_SCALARS.bc1]);
  const denom = add(ctx.op('Sqrt', [ctx.op('Div', [v2, STEP_SCALARS.bc2])]), ctx.scalar(cfg.eps));
  let step = ctx.op('Div', [mHat, denom]);
  if (cfg.kind === 'adamw' && wd > 0) step = add(step, mul(param, ctx.scalar(wd)));
  return { param: ctx.op('Sub', [param, mul(step, lr)]), states: [m2, v2] };
}
