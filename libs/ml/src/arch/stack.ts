import type { Layer } from '../layers/layer';

/** Appends layers, threading each one's output shape into the next. */
export class Stack {
  readonly layers: Layer[] = [];
  constructor(public shape: readonly number[]) {}
  add(make: (shape: readonly number[]) => Layer): this {
    const l = make(this.shape);
    this.layers.push(l);
    this.shape = l.outShape;
    return this;
  }
}
