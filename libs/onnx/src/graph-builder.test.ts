import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, attr, onnx } from './index';

describe('GraphBuilder', () => {
  it('builds a Gemm + Relu graph with a symbolic batch that onnxruntime runs', async () => {
    const g = new GraphBuilder('affine');
    const x = g.input('x', 'float32', ['N', 2]);
    const w = g.initializer('w', 'float32', [3, 2], [1, 0, 0, 1, 1, -1]);
    const b = g.initializer('b', 'float32', [3], [0.5, 0, 0]);
    const y = g.node('Gemm', [x, w, b], { transB: 1 });
    g.output(g.node('Relu', [y], {}, { outputs: ['y'] }), 'float32', ['N', 3]);
    const session = await ort.InferenceSession.create(g.toModel());
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, -4]), [2, 2]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([1.5, 2, 0, 3.5, 0, 7]);
  });

  it('writes int64 constants and typed attributes (Slice, float attribute that is whole)', async () => {
    const g = new GraphBuilder('slice');
    const x = g.input('x', 'float64', [4]);
    const starts = g.constant('int64', [1], [1]);
    const ends = g.constant('int64', [1], [3]);
    const s = g.node('Slice', [x, starts, ends]);
    const scaled = g.node('LeakyRelu', [s], { alpha: attr.float(2) });
    g.output(g.rename(scaled, 'y'), 'float64', [2]);
    const session = await ort.InferenceSession.create(g.toModel());
    const out = await session.run({ x: new ort.Tensor('float64', Float64Array.from([9, -1, 4, 9]), [4]) });
    expect(Array.from(out.y?.data as Float64Array)).toEqual([-2, 4]);
  });

  it('builds an ai.onnx.ml TreeEnsembleClassifier with string, int and float-array attributes', async () => {
    const g = new GraphBuilder('stump');
    const x = g.input('x', 'float32', ['N', 1]);
    // One stump over three classes: feature 0 < 0.5 -> leaf 1 (class 0), else leaf 2 (class 2).
    // (Three classes, because ORT scores two-class ensembles with its own binary convention.)
    const [label, scores] = g.nodeN(
      'TreeEnsembleClassifier',
      [x],
      2,
      {
        classlabels_int64s: [0, 1, 2],
        nodes_treeids: [0, 0, 0],
        nodes_nodeids: [0, 1, 2],
        nodes_featureids: [0, 0, 0],
        nodes_values: attr.floats([0.5, 0, 0]),
        nodes_modes: ['BRANCH_LT', 'LEAF', 'LEAF'],
        nodes_truenodeids: [1, 0, 0],
        nodes_falsenodeids: [2, 0, 0],
        class_treeids: [0, 0],
        class_nodeids: [1, 2],
        class_ids: [0, 2],
        class_weights: attr.floats([1, 1]),
        post_transform: 'NONE',
      },
      { domain: 'ai.onnx.ml', outputs: ['label', 'scores'] },
    );
    g.output(label ?? '', 'int64', ['N']);
    g.output(scores ?? '', 'float32', ['N', 3]);
    const session = await ort.InferenceSession.create(g.toModel({ opsets: { '': 17, 'ai.onnx.ml': 3 } }));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([0.2, 0.9]), [2, 1]) });
    expect(Array.from(out.scores?.data as Float32Array)).toEqual([1, 0, 0, 0, 0, 1]);
    expect(Array.from(out.label?.data as BigInt64Array)).toEqual([0n, 2n]);
  });

  it('records opsets, metadata and symbolic dims in the serialised model', () => {
    const g = new GraphBuilder('meta');
    g.output(g.node('Identity', [g.input('x', 'float32', ['batch', 3])]), 'float32', ['batch', 3]);
    const model = onnx.ModelProto.decode(g.toModel({ opsets: { '': 17, 'ai.onnx.ml': 3 }, metadata: { a: 'b' } }));
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 17],
      ['ai.onnx.ml', 3],
    ]);
    expect(model.metadataProps[0]?.value).toBe('b');
    expect(model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam).toBe('batch');
  });

  it('refuses a name used twice and tensor data that does not match its dims', () => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow(/already used/);
    expect(() => g.initializer('w', 'float32', [2, 2], [1, 2, 3])).toThrow(/hold 4 values/);
  });
});
