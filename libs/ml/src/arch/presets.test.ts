import { loadMnist } from '@inkwell/ml-data';
import { onnx } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export/export-onnx';
import { predictLogits } from '../export/predict';
import { activation } from '../layers/activation';
import { dense } from '../layers/dense';
import { flatten } from '../layers/flatten';
import { gradCheck, probe } from '../testing/gradcheck';
import type { Weights } from '../train/config';
import { initialWeights } from '../train/initial-weights';
import { Rng } from '../train/rng';
import { TrainConfig } from '../train/config';
import { runTraining } from '../train/train-loop';
import { basicBlock } from './basic-block';
import { buildNetwork } from './build-network';
import { parameterCount, PRESET_MODELS } from './preset-catalog';
import type { ArchConfig } from './schema';

const test = loadMnist('test');

/** ONNX probs (the exported file in onnxruntime-node) against softmax(predictLogits) on the first n test digits. */
async function parity(arch: ArchConfig, weights: Weights, n: number): Promise<{ maxDiff: number; sameArgmax: number; correct: number; bytes: Uint8Array }> {
  const bytes = exportOnnx({ arch, weights });
  const session = await ort.InferenceSession.create(bytes);
  const images = new Float32Array(n * 784).map((_, i) => ((test.pixels[i] ?? 0) / 255 - 0.1307) / 0.3081);
  const probs = (await session.run({ image: new ort.Tensor('float32', images, [n, 1, 28, 28]) })).probs?.data as Float32Array;
  const logits = await predictLogits({ arch, weights }, test.pixels.subarray(0, n * 784));
  let maxDiff = 0;
  let sameArgmax = 0;
  let correct = 0;
  const argmax = (a: ArrayLike<number>) => Array.from(a).indexOf(Math.max(...Array.from(a)));
  for (let r = 0; r < n; r++) {
    const z = Array.from(logits.subarray(r * 10, r * 10 + 10));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    const want = e.map((v) => v / s);
    const got = probs.subarray(r * 10, r * 10 + 10);
    want.forEach((v, c) => (maxDiff = Math.max(maxDiff, Math.abs(v - (got[c] ?? NaN)))));
    if (argmax(want) === argmax(got)) sameArgmax++;
    if (argmax(got) === test.labels[r]) correct++;
  }
  return { maxDiff, sameArgmax, correct, bytes };
}

/**
 * Batch-norm statistics as after some training (seeded): at init they are mean 0, var 1, gamma 1,
 * beta 0, which would make folding them into the convs a no-op the parity check could not see.
 */
function trainedLookingNorms(w: Weights, seed: number): Weights {
  const rng = new Rng(seed);
  const out: Weights = {};
  for (const [name, t] of Object.entries(w)) {
    const fill = name.endsWith('.var') ? () => 0.5 + rng.uniform() : name.endsWith('.mean') || name.endsWith('.beta') ? () => rng.normal() * 0.1 : name.endsWith('.gamma') ? () => 0.8 + 0.4 * rng.uniform() : null;
    out[name] = fill ? { shape: t.shape, data: t.data.map(fill) } : t;
  }
  return out;
}

describe('preset architectures', () => {
  it('LeNet-5: 28 -> 28 -> 14 -> 10 -> 5 maps, dense 400 -> 120 -> 84 -> 10, 61,706 parameters', () => {
    const net = buildNetwork(PRESET_MODELS.lenet5.arch);
    const shapes = net.layers.map((l) => `${l.id}:${l.outShape.join('x')}`);
    expect(shapes).toEqual(['c1:6x28x28', 's2:6x14x14', 'c1.act:6x14x14', 'c3:16x10x10', 's4:16x5x5', 'c3.act:16x5x5', 'flat:400', 'c5:120', 'c5.act:120', 'f6:84', 'f6.act:84', 'out:10']);
    expect(parameterCount(PRESET_MODELS.lenet5.arch)).toBe(61_706);
  });

  it('ResNet-18: stem, [2, 2, 2, 2] basic blocks at 64/128/256/512 channels and 28/14/7/4 pixels, 11,172,810 parameters', () => {
    const net = buildNetwork(PRESET_MODELS.resnet18.arch);
    const blocks = net.layers.filter((l) => l.info.kind === 'residual').map((l) => `${l.id}:${l.outShape.join('x')}`);
    expect(blocks).toEqual(['l1.b0:64x28x28', 'l1.b1:64x28x28', 'l2.b0:128x14x14', 'l2.b1:128x14x14', 'l3.b0:256x7x7', 'l3.b1:256x7x7', 'l4.b0:512x4x4', 'l4.b1:512x4x4']);
    const convs = net.layers.flatMap((l) => (l.info.kind === 'residual' ? [...l.info.main, ...l.info.shortcut] : [l])).filter((l) => l.info.kind === 'conv2d');
    // The stem and 16 block convs, plus three 1x1 projections where the stage changes width: 20 convs.
    expect(convs.length).toBe(20);
    // torchvision's resnet18(num_classes=10) has 11,173,962; the one-channel stem has 64 * 2 * 9 fewer.
    expect(parameterCount(PRESET_MODELS.resnet18.arch)).toBe(11_173_962 - 64 * 2 * 9);
  });

  it('untrained weights are seeded: the same seed gives the same ONNX bytes, another seed other bytes', () => {
    const arch = PRESET_MODELS.lenet5.arch;
    const a = exportOnnx({ arch, weights: initialWeights(arch, 1) });
    expect(Buffer.from(exportOnnx({ arch, weights: initialWeights(arch, 1) })).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(exportOnnx({ arch, weights: initialWeights(arch, 2) })).equals(Buffer.from(a))).toBe(false);
  });

  it('LeNet-5 trains (16 steps) and its ONNX export matches the engine on 1,000 test digits', async () => {
    const train = loadMnist('train');
    const n = 512;
    const config = TrainConfig.parse({ arch: PRESET_MODELS.lenet5.arch, optimizer: { kind: 'adam', lr: 0.003 }, epochs: 1, batchSize: 32, seed: 3 });
    const model = await runTraining({ config, data: { images: train.pixels.subarray(0, n * 784), labels: train.labels.subarray(0, n), count: n } }, { progress: () => {}, cancelled: () => false });
    const r = await parity(model.arch, model.weights, 1000);
    expect(r.sameArgmax).toBe(1000);
    expect(r.maxDiff).toBeLessThan(1e-5);
    expect(r.correct / 1000).toBeGreaterThan(0.2);
    const ops = new Set(onnx.ModelProto.decode(r.bytes).graph?.node?.map((x) => x.opType));
    for (const op of ['Conv', 'MaxPool', 'Relu', 'Gemm', 'Softmax']) expect(ops.has(op), op).toBe(true);
    for (const op of ops) expect(['Conv', 'MaxPool', 'Relu', 'Gemm', 'Softmax', 'Flatten', 'Reshape', 'Constant']).toContain(op);
  });

  it('ResNet-18 export (batch-norm folded) matches the engine on 32 test digits', async () => {
    const arch = PRESET_MODELS.resnet18.arch;
    const r = await parity(arch, trainedLookingNorms(initialWeights(arch, 1), 5), 32);
    expect(r.sameArgmax).toBe(32);
    expect(r.maxDiff).toBeLessThan(1e-4);
    const graph = onnx.ModelProto.decode(r.bytes).graph;
    const ops = new Set(graph?.node?.map((x) => x.opType));
    expect(ops.has('BatchNormalization')).toBe(false);
    expect(graph?.node?.filter((x) => x.opType === 'Conv').length).toBe(20);
    expect(graph?.input?.map((i) => i.name)).toEqual(['image']);
    expect(graph?.output?.map((o) => o.name)).toEqual(['probs']);
  }, 120_000);
});

describe('ResNet-18 downsampling on an odd side (7 -> 4): float64 gradients', () => {
  // The last stage halves 7x7 maps: stride-2 3x3 conv (pad 1) and 1x1 projection (pad 0) both give
  // 4x4, and the native lowering's ConvTranspose needs output_padding 0 there (1 on even sides).
  const make = () => {
    const b = basicBlock('b', [2, 7, 7], 3, 2);
    const a = activation('b.out', b.outShape, 'relu');
    const f = flatten('f', b.outShape);
    return { inShape: [2, 7, 7], layers: [b, a, f, dense('d', f.outShape, 3)], batch: 3 };
  };

  it('match central finite differences', async () => {
    expect(make().layers[0]?.outShape).toEqual([3, 4, 4]);
    const r = await gradCheck(make());
    expect(r.checked).toBeGreaterThan(5);
    expect(r.worst, r.worstAt).toBeLessThan(1e-5);
  });

  it('the float32 native lowering matches the float64 portable one', async () => {
    const ref = await probe(make(), 'float64', 'portable');
    const fast = await probe(make(), 'float32', 'native', ref.feeds);
    expect(Math.abs(fast.loss - ref.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.loss)));
    for (const [tensor, want] of ref.grads) {
      const got = fast.grads.get(tensor) ?? new Float32Array();
      const scale = Math.max(1e-6, ...want.map(Math.abs));
      const err = Math.max(...want.map((v, i) => Math.abs(v - (got[i] ?? NaN))));
      expect(err / scale, tensor).toBeLessThan(1e-4);
    }
  });
});
