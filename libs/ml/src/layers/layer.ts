import type { Ctx, Mode } from '../graph/ctx';

/** How a parameter starts. `uniform` draws from U(-bound, bound); `normal` from N(0, std). */
export type Init =
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'constant'; readonly value: number };

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Init;
  /** Whether weight decay applies (weights yes; biases and batch-norm scales no). */
  readonly decay: boolean;
}

/** What a layer's forward leaves behind: its output, and how to push a gradient back through it. */
export interface Tape {
  readonly y: string;
  /** Emits the backward ops for upstream gradient `dy`; returns dLoss/dx, or undefined when `needDx` is false. */
  back(dy: string, needDx: boolean): string | undefined;
}

/** What export needs to know to rewrite a layer (fold batch-norm, drop dropout). */
export type LayerKind =
  | { readonly kind: 'conv2d'; readonly options: import('./conv2d').Conv2dOptions }
  | { readonly kind: 'batchNorm' }
  | { readonly kind: 'dropout' }
  | { readonly kind: 'residual'; readonly main: readonly Layer[]; readonly shortcut: readonly Layer[] }
  | { readonly kind: 'maxPool' }
  | { readonly kind: 'relu' }
  | { readonly kind: 'other' };

export interface Layer {
  readonly id: string;
  readonly info: LayerKind;
  /** Per-sample shapes (no batch dimension): [C, H, W] for images, [F] for vectors. */
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly params: readonly TensorSpec[];
  /** Non-trained state carried between steps (batch-norm running statistics). */
  readonly buffers: readonly TensorSpec[];
  forward(ctx: Ctx, x: string, mode: Mode): Tape;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
