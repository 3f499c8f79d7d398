import * as ort from 'onnxruntime-node';
import { fillTargets } from '../graph/loss';
import { network } from '../graph/network';
import { GRAD, buildTrainGraph } from '../graph/train-graph';
import type { FloatType, Lowering } from '../graph/ctx';
import { type Layer, size } from '../layers/layer';
import { Rng } from '../train/rng';

type Arr = Float32Array | Float64Array;

export interface GradCase {
  readonly inShape: readonly number[];
  readonly layers: readonly Layer[];
  readonly batch?: number;
  readonly smoothing?: number;
  readonly seed?: number;
}

export interface Probe {
  readonly loss: number;
  /** Analytic gradients by tensor name ('x' for the input). */
  readonly grads: Map<string, Arr>;
  /** Inputs as fed (so a second graph can be fed the same values). */
  readonly feeds: Map<string, { data: Arr; dims: number[] }>;
  readonly lossAt: (feeds: Map<string, { data: Arr; dims: number[] }>) => Promise<number>;
}

function alloc(dtype: FloatType, n: number): Arr {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** Builds a gradient graph for the case and returns the analytic gradients at random (seeded) inputs. */
export async function probe(c: GradCase, dtype: FloatType, lowering: Lowering, given?: Map<string, { data: Arr; dims: number[] }>): Promise<Probe> {
  const net = network(c.inShape, c.layers);
  const graph = buildTrainGraph(net, { dtype, lowering, inputGrad: true });
  const session = await ort.InferenceSession.create(graph.model, { graphOptimizationLevel: 'disabled' });
  const rng = new Rng(c.seed ?? 7);
  const n = c.batch ?? 3;
  const feeds = new Map<string, { data: Arr; dims: number[] }>();
  const put = (name: string, dims: number[], fill: (i: number) => number): void => {
    const src = given?.get(name);
    const data = alloc(dtype, size(dims));
    for (let i = 0; i < data.length; i++) data[i] = src ? (src.data[i] ?? 0) : fill(i);
    feeds.set(name, { data, dims });
  };
  put('x', [n, ...c.inShape], () => rng.normal());
  const labels = Array.from({ length: n }, () => rng.int(net.classes));
  const target = alloc(dtype, n * net.classes);
  fillTargets(target, labels, n, net.classes, c.smoothing ?? 0.1);
  put('target', [n, net.classes], (i) => target[i] ?? 0);
  for (const p of net.params) put(p.name, [...p.shape], () => rng.normal() * 0.5);
  for (const b of net.buffers) put(b.name, [...b.shape], () => (b.name.endsWith('.var') ? 1 + rng.uniform() : rng.normal() * 0.1));
  for (const m of graph.masks) put(m.input, [n, ...m.shape], () => (rng.uniform() < m.rate ? 0 : 1 / (1 - m.rate)));

  const run = async (f: Map<string, { data: Arr; dims: number[] }>, fetch: string[]): Promise<ort.InferenceSession.ReturnType> => {
    const t: Record<string, ort.Tensor> = {};
    for (const [k, v] of f) t[k] = new ort.Tensor(dtype, v.data, v.dims);
    return session.run(t, fetch);
  };
  const names = ['x', ...net.params.map((p) => p.name)];
  const out = await run(feeds, ['loss', ...names.map(GRAD)]);
  const grads = new Map<string, Arr>();
  for (const name of names) grads.set(name, out[GRAD(name)]?.data as Arr);
  return {
    loss: Number((out.loss?.data as Arr)[0]),
    grads,
    feeds,
    lossAt: async (f) => Number(((await run(f, ['loss'])).loss?.data as Arr)[0]),
  };
}

export interface CheckResult {
  readonly checked: number;
  /** Largest |analytic - numeric| / max(1e-3, |analytic|, |numeric|) over checked coordinates. */
  readonly worst: number;
  readonly worstAt: string;
}

/**
 * Central finite differences in float64 (step h) on up to `perTensor` random coordinates of every
 * parameter and of the input, compared with the graph's analytic gradients.
 */
export async function gradCheck(c: GradCase, opts: { h?: number; perTensor?: number } = {}): Promise<CheckResult> {
  const p = await probe(c, 'float64', 'portable');
  const h = opts.h ?? 1e-6;
  const rng = new Rng(99);
  let worst = 0;
  let worstAt = '';
  let checked = 0;
  for (const [name, analytic] of p.grads) {
    const feed = p.feeds.get(name);
    if (!feed) throw new Error(`no feed for ${name}`);
    const count = Math.min(opts.perTensor ?? 12, analytic.length);
    const picks = analytic.length <= count ? [...analytic.keys()] : Array.from({ length: count }, () => rng.int(analytic.length));
    for (const i of picks) {
      const orig = feed.data[i] ?? 0;
      feed.data[i] = orig + h;
      const up = await p.lossAt(p.feeds);
      feed.data[i] = orig - h;
      const down = await p.lossAt(p.feeds);
      feed.data[i] = orig;
      const numeric = (up - down) / (2 * h);
      const a = analytic[i] ?? 0;
      const err = Math.abs(a - numeric) / Math.max(1e-3, Math.abs(a), Math.abs(numeric));
      checked++;
      if (err > worst) {
        worst = err;
        worstAt = `${name}[${i}] analytic ${a} numeric ${numeric}`;
      }
    }
  }
  return { checked, worst, worstAt };
}
