/**
 * @inkwell/onnx: a small typed builder for ONNX models, over onnx-proto's protobufjs classes.
 *
 * Usage (see graph-builder.test.ts for runnable examples, including an ai.onnx.ml graph):
 *
 *   import { GraphBuilder, attr } from '@inkwell/onnx';
 *   const g = new GraphBuilder('name');
 *   const x = g.input('x', 'float32', ['N', 4]);          // 'N' = symbolic batch dimension
 *   const w = g.initializer('w', 'float32', [3, 4], data); // Float32Array or number[]
 *   const axes = g.constant('int64', [1], [1]);            // generated name
 *   const y = g.node('Gemm', [x, w], { transB: 1 });       // returns the output name
 *   const [label, scores] = g.nodeN('TreeEnsembleClassifier', [x], 2, {
 *     classlabels_int64s: [0, 1], nodes_values: attr.floats([0, 1.5]), post_transform: 'NONE' },
 *     { domain: 'ai.onnx.ml' });
 *   g.output(y, 'float32', ['N', 3]);
 *   const bytes: Uint8Array = g.toModel({ opsets: { '': 17, 'ai.onnx.ml': 3 } });
 *
 * Attributes: integers -> INT, other numbers -> FLOAT, strings -> STRING, number[] -> INTS when all
 * whole else FLOATS, string[] -> STRINGS. Use attr.float/floats/int/ints/string/strings/tensor to
 * state the type when a value could be read either way (floats that are whole, empty lists).
 * Tensor element types use onnxruntime-node's names: float32, float64, int64, int32, int8, uint8, bool, string.
 *
 * int8 dynamic quantization (the benchmark's int8 engine; see quantize/quantize-dynamic.ts):
 *
 *   const { bytes, report } = quantizeDynamicInt8(floatModelBytes);   // Conv, Gemm, MatMul with constant weights
 *   report.quantized / report.leftFloat (with reasons) / report.weightBytes { before, after }
 */
export { GraphBuilder, type Dim, type NodeOptions, type ModelOptions } from './graph-builder';
export { attr, type AttrValue, type TypedAttr } from './attributes';
export { tensorProto, onnxDataType, type ElemType, type TensorValues } from './tensor-proto';
export { onnx } from './proto';
export { createOrtSession, EXECUTION_PROVIDERS, NO_SPINNING, type ExecutionProvider, type OrtSession, type OrtSessionOptions } from './ort-session';
export {
  quantizeDynamicInt8,
  QUANTIZATION_METADATA_KEY,
  CONV_WEIGHT_ZERO_POINT,
  type QuantizeOptions,
  type QuantizeResult,
  QuantizeReport,
  QuantizedNode,
  FloatNode,
  QuantizedOpType,
  QUANTIZED_OP_TYPES,
} from './quantize';
