import type { BenchmarkEngineSpec } from '@inkwell/contracts';
import type { MemberModel } from './engine-sessions';
import type { CellMeasurement, CellPlan } from './measure-cell';

/** One fork of one engine, sent to the child process that measures it (then it exits). */
export interface ForkRequest {
  readonly spec: BenchmarkEngineSpec;
  readonly variant: readonly MemberModel[];
  /** The cells in request order: each batch size with its normalized inputs, one per member. */
  readonly cells: readonly { readonly batch: number; readonly inputs: readonly Float32Array[] }[];
  readonly plan: CellPlan;
}

/** Messages from the fork's child process, in this order: each cell as it is measured, then `done`; or `error`. */
export type ForkMessage =
  | { readonly kind: 'cell'; readonly index: number; readonly measurement: CellMeasurement }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };

/*
 * Both ends are this code, started together (the child from the parent's own build): the guards
 * check the shape's tag, not every field, as a zod schema would for data from outside.
 */
const hasKind = (m: unknown, kinds: readonly string[]): boolean => typeof m === 'object' && m !== null && 'kind' in m && kinds.includes(String(m.kind));
export const isForkMessage = (m: unknown): m is ForkMessage => hasKind(m, ['cell', 'done', 'error']);
export const isForkRequest = (m: unknown): m is ForkRequest => typeof m === 'object' && m !== null && 'spec' in m && 'variant' in m && 'cells' in m && 'plan' in m;
