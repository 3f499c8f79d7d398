import { activation } from '../layers/activation';
import { BN_EPS } from '../layers/batch-norm';
import { conv2d } from '../layers/conv2d';
import type { Layer } from '../layers/layer';
import { residual } from '../layers/residual';
import type { Weights } from '../train/config';

function get(w: Weights, name: string): Float32Array {
  const t = w[name];
  if (!t) throw new Error(`weights lack ${name}`);
  return t.data;
}

/**
 * Rewrites layers for inference: each conv followed by batch-norm becomes one conv with
 * W' = W * g / sqrt(var + eps) per output channel and b' = (b - mean) * g / sqrt(var + eps) + beta
 * (computed in float64), and dropout layers are removed. Returns the new layers and their weights.
 *
 * Max-pool then ReLU (the order training uses: ReLU then runs on a quarter of the values) becomes
 * ReLU then max-pool. The two commute exactly (max(relu(a), relu(b)) = relu(max(a, b)) for every
 * float), and ONNX Runtime fuses a Conv directly followed by Relu into one blocked kernel: measured
 * 3-4x faster for the default CNN (0.40 -> 0.11 ms per image at batch 1, one thread).
 */
export function foldForInference(layers: readonly Layer[], weights: Weights): { layers: Layer[]; weights: Weights } {
  const out: Layer[] = [];
  const w: Weights = {};
  const keep = (l: Layer): void => {
    for (const t of [...l.params, ...l.buffers]) w[t.name] = { shape: t.shape, data: get(weights, t.name) };
    out.push(l);
  };
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i] as Layer;
    const next = layers[i + 1];
    if (l.info.kind === 'dropout') continue;
    if (l.info.kind === 'residual') {
      const main = foldForInference(l.info.main, weights);
      const short = foldForInference(l.info.shortcut, weights);
      Object.assign(w, main.weights, short.weights);
      out.push(residual(l.id, main.layers, short.layers));
      continue;
    }
    if (l.info.kind === 'maxPool' && next?.info.kind === 'relu') {
      out.push(activation(next.id, l.inShape, 'relu'), l);
      i++;
      continue;
    }
    if (l.info.kind === 'conv2d' && next?.info.kind === 'batchNorm') {
      const conv = conv2d(l.id, l.inShape, { ...l.info.options, bias: true });
      const [wSpec, bSpec] = conv.params;
      const [gamma, beta] = next.params.map((t) => get(weights, t.name)) as [Float32Array, Float32Array];
      const [mean, variance] = next.buffers.map((t) => get(weights, t.name)) as [Float32Array, Float32Array];
      const oldW = get(weights, `${l.id}.w`);
      const oldB = l.params.length > 1 ? get(weights, `${l.id}.b`) : undefined;
      const cout = gamma.length;
      const per = oldW.length / cout;
      const newW = new Float32Array(oldW.length);
      const newB = new Float32Array(cout);
      for (let c = 0; c < cout; c++) {
        const scale = (gamma[c] ?? 0) / Math.sqrt((variance[c] ?? 0) + BN_EPS);
        for (let j = 0; j < per; j++) newW[c * per + j] = (oldW[c * per + j] ?? 0) * scale;
        newB[c] = ((oldB?.[c] ?? 0) - (mean[c] ?? 0)) * scale + (beta[c] ?? 0);
      }
      if (!wSpec || !bSpec) throw new Error(`conv ${l.id} lost its parameters while folding`);
      w[wSpec.name] = { shape: wSpec.shape, data: newW };
      w[bSpec.name] = { shape: bSpec.shape, data: newB };
      out.push(conv);
      i++;
      continue;
    }
    keep(l);
  }
  return { layers: out, weights: w };
}
