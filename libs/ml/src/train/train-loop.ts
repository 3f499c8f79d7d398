import * as ort from 'onnxruntime-node';
import { buildNetwork } from '../arch/build-network';
import { buildInferGraph } from '../graph/infer-graph';
import { fillTargets } from '../graph/loss';
import { NEXT, buildTrainGraph } from '../graph/train-graph';
import { stepScalars } from '../optim/optimizer';
import { learningRate } from '../optim/schedule';
import { BatchAugmenter } from './augment-batch';
import { checkDataSet, countCorrect, fillImages, gatherLabels } from './batches';
import { type Checkpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import type { DataSet, EpochStats, Progress, TrainConfig, TrainedModel, Weights } from './config';
import { createOrtSession } from '@inkwell/onnx';
import { Rng } from './rng';
import { initWeights } from './weights';

export interface RunRequest {
  readonly config: TrainConfig;
  readonly data: DataSet;
  readonly validation?: DataSet;
  /** Write `epoch-NNNN.ckpt` here after every epoch. */
  readonly checkpointDir?: string;
  /** Continue from this checkpoint file (its config and data size must match). */
  readonly resumeFrom?: string;
}

export interface RunHooks {
  progress(p: Progress): void;
  /** Polled between steps; true stops the run with an AbortError. */
  cancelled(): boolean;
}

export class TrainingCancelled extends Error {
  override readonly name = 'AbortError';
}

const PIXELS = 784;

function copyWeights(w: Weights, names?: readonly string[]): Weights {
  const out: Weights = {};
  for (const name of names ?? Object.keys(w)) {
    const t = w[name];
    if (t) out[name] = { shape: t.shape, data: t.data.slice() };
  }
  return out;
}

/** Loss and accuracy of `weights` on `set`, with the inference-mode forward. */
async function evaluate(session: ort.InferenceSession, weights: Weights, set: DataSet): Promise<{ loss: number; accuracy: number }> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(weights)) feeds[name] = new ort.Tensor('float32', t.data, t.shape);
  const chunk = 1000;
  const xs = new Float32Array(chunk * PIXELS);
  let loss = 0;
  let correct = 0;
  for (let from = 0; from < set.count; from += chunk) {
    const n = Math.min(chunk, set.count - from);
    const identity = Array.from({ length: n }, (_, i) => from + i);
    fillImages(set, identity, 0, n, xs);
    const out = await session.run({ ...feeds, x: new ort.Tensor('float32', xs.subarray(0, n * PIXELS), [n, 1, 28, 28]) });
    const logits = out.logits?.data as Float32Array;
    const labels = identity.map((i) => set.labels[i] ?? 0);
    correct += countCorrect(logits, labels, n, 10);
    for (let r = 0; r < n; r++) {
      let max = -Infinity;
      for (let c = 0; c < 10; c++) max = Math.max(max, logits[r * 10 + c] ?? 0);
      let sum = 0;
      for (let c = 0; c < 10; c++) sum += Math.exp((logits[r * 10 + c] ?? 0) - max);
      loss += max + Math.log(sum) - (logits[r * 10 + (labels[r] ?? 0)] ?? 0);
    }
  }
  return { loss: loss / set.count, accuracy: correct / set.count };
}

/**
 * The training loop (runs inside the worker; callable directly in tests). Every step is one
 * session run of the train-step graph; parameters, optimizer state and batch-norm statistics go in
 * as ORT tensors and come back updated into a second set of preallocated tensors (double buffering),
 * so the loop allocates nothing per step.
 */
export async function runTraining(req: RunRequest, hooks: RunHooks): Promise<TrainedModel> {
  const cfg = req.config;
  checkDataSet(req.data, 'training data');
  if (req.validation) checkDataSet(req.validation, 'validation data');
  const net = buildNetwork(cfg.arch);
  const graph = buildTrainGraph(net, { dtype: 'float32', lowering: 'native', optimizer: cfg.optimizer });
  const threads = cfg.deterministic ? 1 : cfg.threads;
  const log = (message: string): void => hooks.progress({ type: 'log', message });
  const { session } = await createOrtSession(graph.model, { intraOpThreads: threads, provider: cfg.cuda ? 'cuda' : 'cpu', log });
  let inferSession: ort.InferenceSession | undefined;
  // Released however the run ends (done, cancelled, failed): on a GPU the sessions hold its memory.
  try {
    inferSession = req.validation ? (await createOrtSession(buildInferGraph(net), { intraOpThreads: threads })).session : undefined;
    return await train(req, hooks, net, graph, session, inferSession);
  } finally {
    await Promise.allSettled([session.release(), inferSession?.release()]);
  }
}

/** The run itself, on sessions `runTraining` owns. */
async function train(
  req: RunRequest,
  hooks: RunHooks,
  net: ReturnType<typeof buildNetwork>,
  graph: ReturnType<typeof buildTrainGraph>,
  session: ort.InferenceSession,
  inferSession: ort.InferenceSession | undefined,
): Promise<TrainedModel> {
  const cfg = req.config;

  const paramNames = [...net.params, ...net.buffers].map((t) => t.name);
  let state: Checkpoint;
  if (req.resumeFrom) {
    state = readCheckpoint(req.resumeFrom);
    if (JSON.stringify(state.config) !== JSON.stringify(cfg)) throw new Error(`checkpoint ${req.resumeFrom} was written by a run with another config`);
    if (state.dataCount !== req.data.count) throw new Error(`checkpoint ${req.resumeFrom} was trained on ${state.dataCount} images, not ${req.data.count}`);
  } else {
    const rng = new Rng(cfg.seed);
    const tensors = initWeights(net, rng);
    for (const c of graph.carried) if (!tensors[c.name]) tensors[c.name] = { shape: c.shape, data: new Float32Array(c.shape.reduce((a, b) => a * b, 1)) };
    state = { config: cfg, epoch: 0, step: 0, rng: rng.state(), dataCount: req.data.count, history: [], early: { best: -1, bestEpoch: 0, stale: 0 }, tensors, best: {} };
  }
  const rng = new Rng(state.rng);
  const history: EpochStats[] = [...state.history];
  const early = { ...state.early };
  let best = state.best;

  // Two sets of carried tensors: step t reads one and writes the other.
  const sets = [0, 1].map((k) =>
    Object.fromEntries(
      graph.carried.map((c) => {
        const src = state.tensors[c.name];
        if (!src) throw new Error(`checkpoint lacks ${c.name}`);
        return [c.name, new ort.Tensor('float32', k === 0 ? src.data.slice() : new Float32Array(src.data.length), [...c.shape])];
      }),
    ),
  ) as [Record<string, ort.Tensor>, Record<string, ort.Tensor>];
  const fetchesFor = (into: Record<string, ort.Tensor>): Record<string, ort.Tensor | null> => {
    const f: Record<string, ort.Tensor | null> = { loss: null, logits: null };
    for (const c of graph.carried) f[NEXT(c.name)] = into[c.name] ?? null;
    return f;
  };
  const fetches = [fetchesFor(sets[1]), fetchesFor(sets[0])] as const;
  let cur: 0 | 1 = 0;

  const bs = cfg.batchSize;
  const n = req.data.count;
  const stepsPerEpoch = Math.ceil(n / bs);
  const totalSteps = stepsPerEpoch * cfg.epochs;
  const xs = new Float32Array(bs * PIXELS);
  const augmenter = cfg.augment ? new BatchAugmenter(cfg.augment, cfg.seed) : undefined;
  const targets = new Float32Array(bs * 10);
  const labels = new Uint8Array(bs);
  const masks = graph.masks.map((m) => ({ spec: m, data: new Float32Array(bs * m.shape.reduce((a, b) => a * b, 1)) }));
  const scalars = new Map<string, ort.Tensor>();
  const scalar = (name: string, v: number): ort.Tensor => {
    let t = scalars.get(name);
    if (!t) {
      t = new ort.Tensor('float32', new Float32Array(1), []);
      scalars.set(name, t);
    }
    (t.data as Float32Array)[0] = v;
    return t;
  };
  const currentWeights = (): Weights => {
    const w: Weights = {};
    for (const name of paramNames) {
      const t = sets[cur][name];
      if (t) w[name] = { shape: t.dims, data: t.data as Float32Array };
    }
    return w;
  };

  let step = state.step;
  let stoppedEarly = false;
  for (let epoch = state.epoch + 1; epoch <= cfg.epochs && !stoppedEarly; epoch++) {
    const order = rng.permutation(n);
    augmenter?.startEpoch(epoch);
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let lr = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (hooks.cancelled()) throw new TrainingCancelled('training was cancelled');
      const from = s * bs;
      const m = Math.min(bs, n - from);
      if (augmenter) augmenter.fill(req.data, order, from, m, xs);
      else fillImages(req.data, order, from, m, xs);
      gatherLabels(req.data, order, from, m, labels);
      fillTargets(targets, labels, m, 10, cfg.labelSmoothing);
      lr = learningRate(cfg.optimizer.lr, cfg.schedule, step, totalSteps, stepsPerEpoch);
      step++;
      const feeds: Record<string, ort.Tensor> = {
        ...sets[cur],
        x: new ort.Tensor('float32', m === bs ? xs : xs.subarray(0, m * PIXELS), [m, 1, 28, 28]),
        target: new ort.Tensor('float32', m === bs ? targets : targets.subarray(0, m * 10), [m, 10]),
      };
      for (const [name, v] of Object.entries(stepScalars(cfg.optimizer, lr, step))) feeds[name] = scalar(name, v);
      for (const mk of masks) {
        const per = mk.spec.shape.reduce((a, b) => a * b, 1);
        const keep = 1 / (1 - mk.spec.rate);
        for (let i = 0; i < m * per; i++) mk.data[i] = rng.uniform() < mk.spec.rate ? 0 : keep;
        feeds[mk.spec.input] = new ort.Tensor('float32', m === bs ? mk.data : mk.data.subarray(0, m * per), [m, ...mk.spec.shape]);
      }
      const out = await session.run(feeds, fetches[cur]);
      cur = cur === 0 ? 1 : 0;
      const loss = (out.loss?.data as Float32Array)[0] ?? NaN;
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at epoch ${epoch} step ${s + 1}; lower the learning rate`);
      const batchCorrect = countCorrect(out.logits?.data as Float32Array, labels, m, 10);
      lossSum += loss * m;
      correct += batchCorrect;
      const seen = from + m;
      hooks.progress({ type: 'step', epoch, step: s + 1, stepsPerEpoch, loss, accuracy: batchCorrect / m, lr, samplesPerSec: seen / ((performance.now() - started) / 1000) });
    }
    const seconds = (performance.now() - started) / 1000;
    const stats: EpochStats = { epoch, trainLoss: lossSum / n, trainAccuracy: correct / n, lr, seconds, samplesPerSec: n / seconds };
    if (inferSession && req.validation) {
      const v = await evaluate(inferSession, currentWeights(), req.validation);
      Object.assign(stats, { valLoss: v.loss, valAccuracy: v.accuracy });
      if (cfg.earlyStopping) {
        if (v.accuracy > early.best + cfg.earlyStopping.minDelta) {
          Object.assign(early, { best: v.accuracy, bestEpoch: epoch, stale: 0 });
          best = copyWeights(currentWeights());
        } else if (++early.stale >= cfg.earlyStopping.patience) {
          stoppedEarly = true;
        }
      }
    }
    history.push(stats);
    hooks.progress({ type: 'epoch', ...stats });
    if (req.checkpointDir) {
      const tensors: Weights = {};
      for (const c of graph.carried) tensors[c.name] = { shape: c.shape, data: sets[cur][c.name]?.data as Float32Array };
      writeCheckpoint(req.checkpointDir, { config: cfg, epoch, step, rng: rng.state(), dataCount: n, history, early, tensors, best });
    }
  }

  const restore = cfg.earlyStopping?.restoreBest === true && early.bestEpoch > 0;
  const weights = restore ? copyWeights(best, paramNames) : copyWeights(currentWeights());
  const last = history[history.length - 1];
  return { arch: cfg.arch, config: cfg, weights, history, epoch: restore ? early.bestEpoch : (last?.epoch ?? state.epoch), stoppedEarly };
}
