/**
 * int8 dynamic quantization benchmark (issue 23): for each member of the default ensemble
 * (models/ensemble.json) and for the ensemble itself, float vs int8 accuracy on all 10,000 MNIST
 * test digits (ONNX files run in onnxruntime-node by evaluateOnnx, as serving runs them), the
 * weight and file sizes, and latency per image at batch 1 and 64 on one thread, for: the float model,
 * the int8 model, the int8 model with its Conv weights stored as int8 (ORT's QInt8 form) instead of
 * uint8 + 128 (`conv s8`: why quantizeDynamicInt8 stores them as uint8), and a copy with only Gemm
 * and MatMul quantized (`gemm only`: Conv left in float).
 *
 *   nice -n 10 npx tsx bench/quantize/main.ts [--models models] [--no-speed]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toFloatBatch } from '@inkwell/ml-data';
import { accuracyOf, evaluateOnnx, meanProbs, mnistTest } from '@inkwell/model-artifacts';
import { onnx, quantizeDynamicInt8 } from '@inkwell/onnx';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';

const { values: args } = parseArgs({ options: { models: { type: 'string', default: 'models' }, 'no-speed': { type: 'boolean', default: false } } });
const Ensemble = z.object({ members: z.array(z.string()).min(1) });
const Manifest = z.object({ normalization: z.object({ mean: z.number(), std: z.number() }) });
type Normalization = z.infer<typeof Manifest>['normalization'];

const test = mnistTest();
const work = mkdtempSync(join(tmpdir(), 'inkwell-bench-quantize-'));
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
const kb = (b: number): string => `${(b / 1024).toFixed(0)} KiB`;

/** The quantized model with ConvInteger weights stored as int8 (q) instead of uint8 (q + 128): the same numbers, for timing only. */
function signedConvWeights(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('no graph');
  const convInputs = new Set((graph.node ?? []).filter((n) => n.opType === 'ConvInteger').flatMap((n) => [n.input?.[1] ?? '', n.input?.[3] ?? '']));
  for (const t of graph.initializer ?? []) {
    if (!convInputs.has(t.name ?? '') || t.dataType !== onnx.TensorProto.DataType.UINT8 || !t.rawData) continue;
    t.rawData = Uint8Array.from(t.rawData, (v) => (v - 128) & 0xff); // two's complement of v - 128
    t.dataType = onnx.TensorProto.DataType.INT8;
  }
  return onnx.ModelProto.encode(model).finish();
}

/** Mean milliseconds per image over `runs` runs of a batch, after 5 warm-up runs, on one intra-op thread. */
async function latency(model: Uint8Array, norm: Normalization, batch: number, runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  try {
    const feed = { image: new ort.Tensor('float32', toFloatBatch(test, Array.from({ length: batch }, (_, i) => i), norm), [batch, 1, 28, 28]) };
    for (let k = 0; k < 5; k++) await session.run(feed);
    const t0 = performance.now();
    for (let k = 0; k < runs; k++) await session.run(feed);
    return (performance.now() - t0) / (runs * batch);
  } finally {
    await session.release();
  }
}

async function main(): Promise<void> {
  const root = args.models;
  const { members } = Ensemble.parse(JSON.parse(readFileSync(join(root, 'ensemble.json'), 'utf8')));
  const rows: string[][] = [['model', 'float acc', 'int8 acc', 'delta (points)', 'weights float -> int8', 'file float -> int8', 'ms/img b1 float / int8 / conv s8 / gemm only', 'ms/img b64 (same order)', 'gemm-only file']];
  const floatProbs: Float32Array[] = [];
  const int8Probs: Float32Array[] = [];
  for (const id of members) {
    const floatPath = join(root, id, 'model.onnx');
    const { normalization } = Manifest.parse(JSON.parse(readFileSync(join(root, id, 'manifest.json'), 'utf8')));
    const float = readFileSync(floatPath);
    const t0 = performance.now();
    const { bytes, report } = quantizeDynamicInt8(float);
    const quantizeMs = performance.now() - t0;
    const int8Path = join(work, `${id}.int8.onnx`);
    writeFileSync(int8Path, bytes);
    const pf = await evaluateOnnx(floatPath, test, { normalization, threads: 2 });
    const pq = await evaluateOnnx(int8Path, test, { normalization, threads: 2 });
    floatProbs.push(pf);
    int8Probs.push(pq);
    const [af, aq] = [accuracyOf(test.labels, pf), accuracyOf(test.labels, pq)];
    let b1 = '-';
    let b64 = '-';
    const gemmOnly = quantizeDynamicInt8(float, { opTypes: ['Gemm', 'MatMul'] }).bytes;
    if (!args['no-speed']) {
      const s8 = signedConvWeights(bytes);
      // One after the other: sessions timed side by side would share the cores.
      const t = async (batch: number, runs: number): Promise<string> => {
        const ms: number[] = [];
        for (const model of [float, bytes, s8, gemmOnly]) ms.push(await latency(model, normalization, batch, runs));
        return ms.map((m) => m.toFixed(3)).join(' / ');
      };
      b1 = await t(1, 300);
      b64 = await t(64, 20);
    }
    console.log(`${id}: quantized in ${quantizeMs.toFixed(0)} ms: ${report.quantized.map((n) => `${n.opType} ${n.node} -> ${n.emitted} (${n.channels} ch)`).join(', ')}; float: ${report.leftFloat.map((n) => n.opType).join(' ')}`);
    rows.push([id, pct(af), pct(aq), (100 * (aq - af)).toFixed(2), `${kb(report.weightBytes.before)} -> ${kb(report.weightBytes.after)}`, `${kb(report.modelBytes.before)} -> ${kb(report.modelBytes.after)}`, b1, b64, kb(gemmOnly.length)]);
  }
  const [ef, eq] = [accuracyOf(test.labels, meanProbs(floatProbs)), accuracyOf(test.labels, meanProbs(int8Probs))];
  rows.push(['ensemble (mean probs)', pct(ef), pct(eq), (100 * (eq - ef)).toFixed(2), '', '', '', '', '']);
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  console.log(`\nMNIST test split, ${test.count} digits; latency: one intra-op thread, mean over runs after warm-up`);
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
