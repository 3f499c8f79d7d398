import type { Network } from '../graph/network';
import type { TensorSpec } from '../layers/layer';
import type { Weights } from './config';
import type { Rng } from './rng';

function initTensor(spec: TensorSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const init = spec.init;
  for (let i = 0; i < n; i++) {
    data[i] = init.kind === 'constant' ? init.value : init.kind === 'uniform' ? (2 * rng.uniform() - 1) * init.bound : rng.normal() * init.std;
  }
  return data;
}

/** Fresh parameters and buffers, drawn in declaration order from `rng` (so the seed fixes them). */
export function initWeights(net: Network, rng: Rng): Weights {
  const w: Weights = {};
  for (const spec of [...net.params, ...net.buffers]) w[spec.name] = { shape: spec.shape, data: initTensor(spec, rng) };
  return w;
}

/** Checks that `weights` hold exactly the network's tensors with the right sizes. */
export function checkWeights(net: Network, weights: Weights): void {
  for (const spec of [...net.params, ...net.buffers]) {
    const t = weights[spec.name];
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (!t || t.data.length !== n) throw new Error(`weights lack ${spec.name} [${spec.shape.join(', ')}]`);
  }
}
