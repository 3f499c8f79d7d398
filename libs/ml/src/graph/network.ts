import type { Layer, TensorSpec } from '../layers/layer';

/** A sequential stack of layers mapping [N, ...inShape] images to [N, classes] logits. */
export interface Network {
  readonly inShape: readonly number[];
  readonly classes: number;
  readonly layers: readonly Layer[];
  readonly params: readonly TensorSpec[];
  readonly buffers: readonly TensorSpec[];
}

export function network(inShape: readonly number[], layers: readonly Layer[]): Network {
  const last = layers[layers.length - 1];
  const classes = last?.outShape[0];
  if (!last || last.outShape.length !== 1 || classes === undefined) throw new Error('a network must end in a flat [classes] layer');
  const params = layers.flatMap((l) => l.params);
  const buffers = layers.flatMap((l) => l.buffers);
  const names = new Set<string>();
  for (const t of [...params, ...buffers]) {
    if (names.has(t.name)) throw new Error(`tensor ${t.name} is declared twice`);
    names.add(t.name);
  }
  return { inShape, classes, layers, params, buffers };
}
