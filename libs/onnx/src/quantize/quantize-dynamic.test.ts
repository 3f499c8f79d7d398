import { createHash } from 'node:crypto';
import { Rng } from '@inkwell/ml-data';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, attr, onnx } from '../index';
import { QUANTIZATION_METADATA_KEY, quantizeDynamicInt8 } from './quantize-dynamic';
import { QuantizeReport } from './quantize-report';

const BATCH = 16;

/**
 * A small model with every case the pass handles: two convs reading one activation (one shared
 * DynamicQuantizeLinear), a conv without bias, a Gemm with transB, alpha and beta, a MatMul, a Gemm
 * with a [1, N] bias and no transB, and a MatMul whose weight is fed at run time (stays float).
 */
function smallModel(opset = 17): Uint8Array {
  const rng = new Rng(3);
  const randn = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * s);
  const g = new GraphBuilder('small');
  const x = g.input('x', 'float32', ['N', 1, 8, 8]);
  const c0 = g.node('Conv', [x, g.initializer('c0.w', 'float32', [4, 1, 3, 3], randn(36, 0.5)), g.initializer('c0.b', 'float32', [4], randn(4, 0.1))], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }, { name: 'conv0' });
  const r0 = g.node('Relu', [c0]);
  const c1 = g.node('Conv', [r0, g.initializer('c1.w', 'float32', [4, 4, 3, 3], randn(144, 0.3)), g.initializer('c1.b', 'float32', [4], randn(4, 0.1))], { pads: [1, 1, 1, 1], strides: [2, 2] }, { name: 'conv1' });
  const c2 = g.node('Conv', [r0, g.initializer('proj.w', 'float32', [4, 4, 1, 1], randn(16, 0.5))], { strides: [2, 2] }, { name: 'proj' });
  const flat = g.node('Flatten', [g.node('Relu', [g.node('Add', [c1, c2])])]);
  const fc = g.node('Gemm', [flat, g.initializer('fc.w', 'float32', [16, 64], randn(1024, 0.2)), g.initializer('fc.b', 'float32', [16], randn(16, 0.1))], { transB: 1, alpha: attr.float(0.5), beta: attr.float(2) }, { name: 'fc' });
  const head = g.node('MatMul', [g.node('Relu', [fc]), g.initializer('head.w', 'float32', [16, 10], randn(160, 0.4))], {}, { name: 'head' });
  const fc2 = g.node('Gemm', [head, g.initializer('fc2.w', 'float32', [10, 10], randn(100, 0.3)), g.initializer('fc2.b', 'float32', [1, 10], randn(10, 0.1))], {}, { name: 'fc2' });
  const mix = g.input('mix', 'float32', [10, 10]);
  g.output(g.node('MatMul', [fc2, mix], {}, { name: 'runtime_weight', outputs: ['y'] }), 'float32', ['N', 10]);
  return g.toModel({ opsets: { '': opset } });
}

async function run(model: Uint8Array): Promise<Float32Array> {
  const rng = new Rng(11);
  const x = Float32Array.from({ length: BATCH * 64 }, () => rng.uniform(-1, 2));
  const mix = Float32Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1 : 0)); // identity
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, [BATCH, 1, 8, 8]), mix: new ort.Tensor('float32', mix, [10, 10]) });
    return out.y?.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The largest output difference relative to the float output's range. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let range = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    range = Math.max(range, Math.abs(a[i] as number));
  }
  return diff / range;
}

const opsOf = (bytes: Uint8Array): string[] => (onnx.ModelProto.decode(bytes).graph?.node ?? []).map((n) => n.opType ?? '');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('quantizeDynamicInt8 on a generated model', () => {
  const float = smallModel();

  it('runs in onnxruntime with outputs within 5 % of the float model (five layers of 7-bit weights), every weighted operator quantized', async () => {
    const { bytes, report } = quantizeDynamicInt8(float);
    const [expected, actual] = [await run(float), await run(bytes)];
    const err = relativeError(expected, actual);
    console.log(`generated model: int8 output error ${(100 * err).toFixed(2)} % of the output range`);
    expect(err).toBeLessThan(0.05);
    expect(err).toBeGreaterThan(0); // it really runs integer arithmetic, not the float graph
    expect(QuantizeReport.parse(report)).toEqual(report);
    expect(report.quantized.map((q) => [q.node, q.opType, q.emitted, q.weightType])).toEqual([
      ['conv0', 'Conv', 'ConvInteger', 'uint8'],
      ['conv1', 'Conv', 'ConvInteger', 'uint8'],
      ['proj', 'Conv', 'ConvInteger', 'uint8'],
      ['fc', 'Gemm', 'MatMulInteger', 'int8'],
      ['head', 'MatMul', 'MatMulInteger', 'int8'],
      ['fc2', 'Gemm', 'MatMulInteger', 'int8'],
    ]);
    expect(report.leftFloat.find((n) => n.node === 'runtime_weight')?.reason).toMatch(/weight mix is computed at run time/);
    expect(report.leftFloat.filter((n) => n.opType === 'Relu')).toHaveLength(3);
    const ops = opsOf(bytes);
    // conv1 and proj read the same activation: one DynamicQuantizeLinear for both.
    expect(ops.filter((o) => o === 'DynamicQuantizeLinear')).toHaveLength(5);
    expect(ops.filter((o) => o === 'Conv' || o === 'Gemm')).toEqual([]);
    expect(ops.filter((o) => o === 'MatMul')).toHaveLength(1);
  });

  it('drops the float weights it replaced: 8-bit weights are about a quarter of the float bytes', () => {
    const { bytes, report } = quantizeDynamicInt8(float);
    const names = (onnx.ModelProto.decode(bytes).graph?.initializer ?? []).map((t) => t.name);
    for (const replaced of ['c0.w', 'c1.w', 'proj.w', 'fc.w', 'head.w', 'fc2.w', 'c0.b', 'fc.b']) expect(names).not.toContain(replaced);
    expect(names).toContain('fc2.b'); // Gemm's C with beta = 1 is added as it is
    expect(report.weightBytes.before).toBe(4 * (36 + 4 + 144 + 4 + 16 + 1024 + 16 + 160 + 100 + 10));
    expect(report.weightBytes.after).toBeLessThan(report.weightBytes.before * 0.45);
    expect(report.modelBytes).toEqual({ before: float.length, after: bytes.length });
    const meta = onnx.ModelProto.decode(bytes).metadataProps.find((p) => p.key === QUANTIZATION_METADATA_KEY);
    expect(meta?.value).toBe('dynamic-int8');
  });

  it('gives byte-identical output for the same input, every time', () => {
    const first = quantizeDynamicInt8(float);
    const second = quantizeDynamicInt8(Uint8Array.from(smallModel()));
    expect(sha(second.bytes)).toBe(sha(first.bytes));
    expect(second.report).toEqual(first.report);
  });

  it('leaves operator types not asked for in float, and says so', async () => {
    const { bytes, report } = quantizeDynamicInt8(float, { opTypes: ['Gemm', 'MatMul'] });
    expect(report.opTypes).toEqual(['Gemm', 'MatMul']);
    expect(report.quantized.map((q) => q.node)).toEqual(['fc', 'head', 'fc2']);
    expect(report.leftFloat.find((n) => n.node === 'conv1')?.reason).toBe('Conv was not among the operator types asked for');
    expect(opsOf(bytes).filter((o) => o === 'Conv')).toHaveLength(3);
    expect(relativeError(await run(float), await run(bytes))).toBeLessThan(0.05);
  });

  it('returns a model with nothing to quantize as it was: an already quantized one, or one below opset 11', () => {
    const once = quantizeDynamicInt8(float).bytes;
    const twice = quantizeDynamicInt8(once);
    expect(twice.bytes).toBe(once);
    expect(twice.report.quantized).toEqual([]);
    const old = smallModel(10);
    const r = quantizeDynamicInt8(old);
    expect(r.bytes).toBe(old);
    expect(r.report.leftFloat.find((n) => n.node === 'conv0')?.reason).toBe("the model's opset 10 is below 11, which has no DynamicQuantizeLinear");
  });
});
