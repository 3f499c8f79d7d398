import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DigitSet, loadMnist, subset, toFloatBatch } from '@inkwell/ml-data';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { quantizeDynamicInt8 } from './quantize-dynamic';

const MODELS = join(import.meta.dirname, '../../../../models');
/** The default ensemble's members (models/ensemble.json). */
const MEMBERS = z.object({ members: z.array(z.string()).min(1) }).parse(JSON.parse(readFileSync(join(MODELS, 'ensemble.json'), 'utf8'))).members;
const Manifest = z.object({ normalization: z.object({ mean: z.number(), std: z.number() }) });
/** 2,000 of the 10,000 test digits keep this file under a minute on two shared cores; bench/quantize scores all 10,000. */
const DIGITS = 2000;
const test = subset(loadMnist('test'), Array.from({ length: DIGITS }, (_, i) => i));

/** Predicted classes of `set` from a model's bytes, run the way serving runs it (all graph optimisations). */
async function predict(model: Uint8Array, set: DigitSet, norm: z.infer<typeof Manifest>['normalization']): Promise<Uint8Array> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 2, interOpNumThreads: 1 });
  try {
    const classes = new Uint8Array(set.count);
    for (let from = 0; from < set.count; from += 500) {
      const n = Math.min(500, set.count - from);
      const x = toFloatBatch(set, Array.from({ length: n }, (_, i) => from + i), norm);
      const probs = (await session.run({ image: new ort.Tensor('float32', x, [n, 1, 28, 28]) })).probs?.data as Float32Array;
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if ((probs[r * 10 + c] as number) > (probs[r * 10 + best] as number)) best = c;
        classes[from + r] = best;
      }
    }
    return classes;
  } finally {
    await session.release();
  }
}

const accuracy = (classes: Uint8Array, labels: Uint8Array): number => classes.reduce((s, c, i) => s + (c === labels[i] ? 1 : 0), 0) / classes.length;

describe('quantizeDynamicInt8 on the shipped digit models', () => {
  it.each(MEMBERS)('%s: int8 reads the test digits within 0.3 points of float, at under 30 % of the weight bytes', async (id) => {
    const float = readFileSync(join(MODELS, id, 'model.onnx'));
    const { normalization } = Manifest.parse(JSON.parse(readFileSync(join(MODELS, id, 'manifest.json'), 'utf8')));
    const { bytes, report } = quantizeDynamicInt8(float);
    const [f, q] = [await predict(float, test, normalization), await predict(bytes, test, normalization)];
    const [accF, accQ] = [accuracy(f, test.labels), accuracy(q, test.labels)];
    const agree = f.reduce((s, c, i) => s + (c === q[i] ? 1 : 0), 0) / f.length;
    const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
    console.log(
      `${id} (first ${DIGITS} test digits): float ${pct(accF)}, int8 ${pct(accQ)}, same answer ${pct(agree)}; ` +
        `weights ${report.weightBytes.before} -> ${report.weightBytes.after} B (${pct(report.weightBytes.after / report.weightBytes.before)}), ` +
        `file ${report.modelBytes.before} -> ${report.modelBytes.after} B; quantized ${report.quantized.map((n) => `${n.opType} ${n.node}`).join(', ')}`,
    );
    expect(Math.abs(accQ - accF)).toBeLessThanOrEqual(0.003);
    expect(agree).toBeGreaterThanOrEqual(0.995);
    // Every weighted operator of these models has a constant float weight: all of them are quantized.
    expect(report.quantized.length).toBeGreaterThan(0);
    expect(report.leftFloat.filter((n) => ['Conv', 'Gemm', 'MatMul'].includes(n.opType))).toEqual([]);
    expect(report.weightBytes.after).toBeLessThan(0.3 * report.weightBytes.before);
  });
});
