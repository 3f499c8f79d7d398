import { GraphBuilder } from '@inkwell/onnx';
import { sequentialForward } from '../layers/sequential';
import { Ctx, type FloatType } from './ctx';
import type { Network } from './network';

/**
 * The training-side forward in inference mode (dropout off, batch-norm on running statistics, nothing
 * folded), with parameters and buffers as graph inputs so any weights can be fed. Output: `logits`.
 */
export function buildInferGraph(net: Network, dtype: FloatType = 'float32'): Uint8Array {
  const g = new GraphBuilder('infer');
  const ctx = new Ctx(g, dtype, dtype === 'float32' ? 'native' : 'portable');
  const x = g.input('x', dtype, ['N', ...net.inShape]);
  for (const t of [...net.params, ...net.buffers]) g.input(t.name, dtype, t.shape);
  const tape = sequentialForward(ctx, net.layers, x, 'infer');
  g.output(g.rename(tape.y, 'logits'), dtype, ['N', net.classes]);
  return g.toModel();
}
