import { loadMnist } from '@inkwell/ml-data';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnx } from '@inkwell/onnx';
import type { ArchConfig } from '../arch/schema';
import { TrainConfig } from '../train/config';
import { runTraining } from '../train/train-loop';
import { exportOnnx } from './export-onnx';
import { predictLogits } from './predict';

const train = loadMnist('train');
const test = loadMnist('test');
const TEST_N = 1000;

async function trainTiny(arch: ArchConfig) {
  const config = TrainConfig.parse({ arch, optimizer: { kind: 'adam', lr: 0.003 }, epochs: 1, batchSize: 32, seed: 3 });
  const n = 512;
  return runTraining(
    { config, data: { images: train.pixels.subarray(0, n * 784), labels: train.labels.subarray(0, n), count: n } },
    { progress: () => {}, cancelled: () => false },
  );
}

function softmax(logits: Float32Array, row: number, t: number): number[] {
  const z = Array.from(logits.subarray(row * 10, row * 10 + 10), (v) => v / t);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('exportOnnx parity with the engine', () => {
  const archs: ArchConfig[] = [
    { kind: 'cnn', filters: [4, 8], kernel: 3, dense: [16], dropout: 0.3, batchNorm: true },
    { kind: 'resnet', depth: 8, width: 4 },
    { kind: 'mlp', hidden: [32], activation: 'tanh', dropout: 0.2 },
  ];
  for (const arch of archs) {
    it(`${arch.kind}: ONNX probs in onnxruntime match predictLogits on ${TEST_N} MNIST test digits`, async () => {
      const model = await trainTiny(arch);
      const temperature = 1.7;
      const bytes = exportOnnx(model, { temperature });
      const graph = onnx.ModelProto.decode(bytes).graph;
      const ops = new Set(graph?.node?.map((n) => n.opType));
      expect(ops.has('BatchNormalization')).toBe(false); // folded
      // Every Relu reads a Conv/Gemm/Add output, never a MaxPool's: ONNX Runtime fuses Conv+Relu.
      const producer = new Map(graph?.node?.flatMap((n) => (n.output ?? []).map((o) => [o, n.opType] as const)));
      const reluInputs = graph?.node?.filter((n) => n.opType === 'Relu').map((n) => producer.get(n.input?.[0] ?? '')) ?? [];
      expect(reluInputs).not.toContain('MaxPool');
      expect(graph?.input?.map((i) => i.name)).toEqual(['image']);
      expect(graph?.output?.map((o) => o.name)).toEqual(['probs']);

      const session = await ort.InferenceSession.create(bytes);
      const images = new Float32Array(TEST_N * 784).map((_, i) => ((test.pixels[i] ?? 0) / 255 - 0.1307) / 0.3081);
      const out = await session.run({ image: new ort.Tensor('float32', images, [TEST_N, 1, 28, 28]) });
      const probs = out.probs?.data as Float32Array;
      const logits = await predictLogits(model, test.pixels.subarray(0, TEST_N * 784));
      let maxDiff = 0;
      let sameArgmax = 0;
      let correct = 0;
      for (let r = 0; r < TEST_N; r++) {
        const want = softmax(logits, r, temperature);
        const got = Array.from(probs.subarray(r * 10, r * 10 + 10));
        want.forEach((v, c) => (maxDiff = Math.max(maxDiff, Math.abs(v - (got[c] ?? NaN)))));
        const argmax = (a: number[]) => a.indexOf(Math.max(...a));
        if (argmax(want) === argmax(got)) sameArgmax++;
        if (argmax(got) === test.labels[r]) correct++;
      }
      expect(sameArgmax).toBe(TEST_N);
      expect(maxDiff).toBeLessThan(1e-5);
      // The tiny model (16 steps) has learnt something: at least twice the 10% of guessing.
      expect(correct / TEST_N).toBeGreaterThan(0.2);
    });
  }
});
