import { onnx } from '@inkwell/onnx';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { ImportedIo } from './run-imported';

/** An imported model in the platform's own form: one float32 [N,1,28,28] input, one [N,10] probabilities output. */
export interface CanonicalModel {
  readonly bytes: Uint8Array;
  readonly inputName: string;
  readonly outputName: string;
  /** False when the upload already had that form and `bytes` are the uploaded bytes. */
  readonly rewritten: boolean;
}

/**
 * Brings an accepted import to the form every other model version has, so serving, evaluation and
 * export treat it like a trained model: a [N,784] input gets a Reshape from a new [N,1,28,28]
 * input in front of it, and logits get a Softmax behind them. The original graph is left as it
 * was; only nodes are added, the first before every node (ONNX wants topological order) and the
 * last after. A model already in that form is returned byte for byte.
 */
export function canonicalizeImported(bytes: Uint8Array, io: Omit<ImportedIo, 'normalization'>): CanonicalModel {
  if (io.inputLayout === 'nchw' && io.outputKind === 'probs') return { bytes, inputName: io.inputName, outputName: io.outputName, rewritten: false };
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const used = namesOf(graph);
  const fresh = (base: string): string => {
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };
  let inputName = io.inputName;
  if (io.inputLayout === 'flat') {
    inputName = fresh('image');
    const shape = fresh('image_flat_shape');
    graph.initializer = [
      ...(graph.initializer ?? []),
      new onnx.TensorProto({ name: shape, dataType: onnx.TensorProto.DataType.INT64, dims: [2], int64Data: [-1, 784] }),
    ];
    // The old input's name now names the Reshape's output, so every node that read it reads the same values.
    graph.node = [new onnx.NodeProto({ opType: 'Reshape', domain: '', name: fresh('inkwell_flatten_input'), input: [inputName, shape], output: [io.inputName] }), ...(graph.node ?? [])];
    graph.input = (graph.input ?? []).map((v) => (v.name === io.inputName ? imageInput(inputName) : v));
  }
  let outputName = io.outputName;
  if (io.outputKind === 'logits') {
    outputName = fresh('probs');
    graph.node = [...(graph.node ?? []), new onnx.NodeProto({ opType: 'Softmax', domain: '', name: fresh('inkwell_softmax'), input: [io.outputName], output: [outputName], attribute: [new onnx.AttributeProto({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 })] })];
    graph.output = (graph.output ?? []).map((v) => (v.name === io.outputName ? probsOutput(outputName) : v));
  }
  return { bytes: onnx.ModelProto.encode(model).finish(), inputName, outputName, rewritten: true };
}

function namesOf(graph: OnnxTypes.IGraphProto): Set<string> {
  const names = new Set<string>();
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) if (v.name) names.add(v.name);
  for (const t of graph.initializer ?? []) if (t.name) names.add(t.name);
  for (const n of graph.node ?? []) {
    if (n.name) names.add(n.name);
    for (const x of [...(n.input ?? []), ...(n.output ?? [])]) names.add(x);
  }
  return names;
}

const dims = (shape: readonly (number | string)[]) =>
  new onnx.TensorShapeProto({
    dim: shape.map((d) => (typeof d === 'number' ? new onnx.TensorShapeProto.Dimension({ dimValue: d }) : new onnx.TensorShapeProto.Dimension({ dimParam: d }))),
  });
const floatTensor = (name: string, shape: readonly (number | string)[]) =>
  new onnx.ValueInfoProto({ name, type: new onnx.TypeProto({ tensorType: new onnx.TypeProto.Tensor({ elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(shape) }) }) });
const imageInput = (name: string) => floatTensor(name, ['N', 1, 28, 28]);
const probsOutput = (name: string) => floatTensor(name, ['N', 10]);
