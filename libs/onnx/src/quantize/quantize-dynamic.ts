import { attributeProto } from '../attributes';
import { onnx } from '../proto';
import { type ElemType, type TensorValues, tensorProto } from '../tensor-proto';
import { type Graph, type Node, type Tensor, namesOf, readNames, tensorBytes, toNumber } from './graph-access';
import { type GraphFacts, type QuantizePlan, graphFacts, planNode } from './plan-node';
import { type FloatNode, QUANTIZED_OP_TYPES, type QuantizedNode, type QuantizedOpType, type QuantizeReport } from './quantize-report';
import { quantizePerChannel } from './weight-quant';

export interface QuantizeOptions {
  /** The operator types to quantize (ORT's op_types_to_quantize); default all of QUANTIZED_OP_TYPES. */
  readonly opTypes?: readonly QuantizedOpType[];
}

export interface QuantizeResult {
  /** The quantized model, ready for InferenceSession.create. */
  readonly bytes: Uint8Array;
  readonly report: QuantizeReport;
}

/** DynamicQuantizeLinear, MatMulInteger and ConvInteger all exist from opset 11 of the standard domain. */
const MIN_OPSET = 11;
/** Written into the quantized model's metadata so a reader can tell the variant from the float model. */
export const QUANTIZATION_METADATA_KEY = 'inkwell.quantization';

const WEIGHTS =
  '8-bit storage of 7-bit values (reduce_range: no int16 overflow on CPUs without VNNI), symmetric, per output channel (scale = max|w| / 64): MatMul and Gemm weights int8 with zero point 0; ' +
  'Conv weights the same values stored as uint8 + 128 with zero point 128, the form ConvInteger runs fast';
const ACTIVATIONS = 'uint8, asymmetric, per tensor, computed at run time by DynamicQuantizeLinear';

/**
 * An int8 dynamically quantized copy of a float ONNX model, the way ONNX Runtime's `quantize_dynamic`
 * (per_channel = True, weight type QInt8) builds one: every Conv, Gemm and MatMul whose weight is a
 * float32 constant becomes
 *
 *   x -> DynamicQuantizeLinear -> (x_q, x_scale, x_zp)
 *   MatMulInteger(x_q, w_int8, x_zp, w_zp) or ConvInteger(...) -> int32 -> Cast(float) -> Mul(x_scale * w_scale) -> Add(bias)
 *
 * with the original output name, so nothing downstream changes. Everything else runs in float as
 * before, and the report says why for each such node. The same bytes in give the same bytes out.
 */
export function quantizeDynamicInt8(modelBytes: Uint8Array, options: QuantizeOptions = {}): QuantizeResult {
  const opTypes = QUANTIZED_OP_TYPES.filter((t) => (options.opTypes ?? QUANTIZED_OP_TYPES).includes(t));
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const weightBytesBefore = sumBytes(graph.initializer ?? []);
  const opset = toNumber((model.opsetImport ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version);
  const rewriter = new Rewriter(graph);
  const quantized: QuantizedNode[] = [];
  const leftFloat: FloatNode[] = [];
  const nodes: Node[] = [];
  (graph.node ?? []).forEach((node, index) => {
    const label = node.name || `${node.opType ?? ''}#${index}`;
    const plan = planFor(node, opset, opTypes, rewriter.facts);
    if ('reason' in plan) {
      leftFloat.push({ node: label, opType: node.opType ?? '', reason: plan.reason });
      nodes.push(node);
      return;
    }
    quantized.push(rewriter.emit(plan, label, nodes));
  });
  const report = (bytes: Uint8Array): QuantizeReport => ({
    method: 'dynamic-int8',
    weights: WEIGHTS,
    activations: ACTIVATIONS,
    opTypes,
    quantized,
    leftFloat,
    weightBytes: { before: weightBytesBefore, after: sumBytes(graph.initializer ?? []) },
    modelBytes: { before: modelBytes.length, after: bytes.length },
  });
  // Nothing to quantize (an already quantized model, no weighted operator): the model as it was, not one marked as quantized.
  if (quantized.length === 0) return { bytes: modelBytes, report: report(modelBytes) };
  graph.node = nodes;
  rewriter.finish();
  model.metadataProps = [
    ...(model.metadataProps ?? []).filter((p) => p.key !== QUANTIZATION_METADATA_KEY),
    new onnx.StringStringEntryProto({ key: QUANTIZATION_METADATA_KEY, value: 'dynamic-int8' }),
  ];
  const bytes = onnx.ModelProto.encode(model).finish();
  return { bytes, report: report(bytes) };
}

function planFor(node: Node, opset: number, opTypes: readonly QuantizedOpType[], facts: GraphFacts): QuantizePlan | { reason: string } {
  if (opset < MIN_OPSET) return { reason: `the model's opset ${opset} is below ${MIN_OPSET}, which has no DynamicQuantizeLinear` };
  const op = node.opType ?? '';
  if ((QUANTIZED_OP_TYPES as readonly string[]).includes(op) && !(opTypes as readonly string[]).includes(op)) return { reason: `${op} was not among the operator types asked for` };
  return planNode(node, facts);
}

/**
 * Conv weights as ConvInteger gets them: the same symmetric int8 values shifted by 128 into uint8,
 * with zero point 128. (q + 128) - 128 = q, so the products and the accuracy are exactly those of
 * int8, but onnxruntime 1.30's CPU ConvInteger runs uint8 x uint8 through its fast MLAS kernel and
 * int8 weights through a path measured 3-8x slower on the shipped CNNs and ResNets (bench/quantize).
 */
export const CONV_WEIGHT_ZERO_POINT = 128;
function storeConvWeights(q: Int8Array): { type: 'uint8'; values: Uint8Array; zeroPoint: number } {
  return { type: 'uint8', values: Uint8Array.from(q, (v) => v + CONV_WEIGHT_ZERO_POINT), zeroPoint: CONV_WEIGHT_ZERO_POINT };
}

const sumBytes = (ts: readonly Tensor[]): number => ts.reduce((s, t) => s + tensorBytes(t), 0);

interface QuantizedActivation {
  readonly q: string;
  readonly scale: string;
  readonly zeroPoint: string;
}

/** Emits the integer nodes and their constants, with names no other tensor or node of the model uses. */
class Rewriter {
  readonly facts: GraphFacts;
  private readonly names: Set<string>;
  private readonly added: Tensor[] = [];
  /** Float tensors replaced by quantized copies; dropped at the end when nothing reads them any more. */
  private readonly replaced = new Set<string>();
  /** One DynamicQuantizeLinear per activation, shared by every node that reads it (a ResNet block's input feeds two convs). */
  private readonly activations = new Map<string, QuantizedActivation>();

  constructor(private readonly graph: Graph) {
    this.facts = graphFacts(graph);
    this.names = namesOf(graph);
  }

  private fresh(base: string): string {
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  private constant(base: string, type: ElemType, dims: readonly number[], values: TensorValues): string {
    const name = this.fresh(base);
    this.added.push(tensorProto(name, type, dims, values));
    return name;
  }

  private node(out: Node[], opType: string, inputs: readonly string[], outputs: readonly string[], name: string, attribute = [] as Node['attribute']): void {
    out.push(new onnx.NodeProto({ opType, domain: '', name: this.fresh(name), input: [...inputs], output: [...outputs], attribute: attribute ?? [] }));
  }

  private quantizeActivation(x: string, out: Node[]): QuantizedActivation {
    const known = this.activations.get(x);
    if (known) return known;
    const qa = { q: this.fresh(`${x}_quantized`), scale: this.fresh(`${x}_scale`), zeroPoint: this.fresh(`${x}_zero_point`) };
    this.node(out, 'DynamicQuantizeLinear', [x], [qa.q, qa.scale, qa.zeroPoint], `${x}_DynamicQuantizeLinear`);
    this.activations.set(x, qa);
    return qa;
  }

  emit(plan: QuantizePlan, label: string, out: Node[]): QuantizedNode {
    const channels = plan.weightDims[plan.channelAxis] ?? 0;
    const conv = plan.opType === 'Conv';
    const w = quantizePerChannel(plan.weight, plan.weightDims, plan.channelAxis);
    const x = this.quantizeActivation(plan.activation, out);
    const stored = conv ? storeConvWeights(w.values) : { type: 'int8' as const, values: w.values, zeroPoint: 0 };
    const wq = this.constant(`${plan.weightName}_quantized`, stored.type, plan.weightDims, stored.values);
    const outputScale = plan.alpha === 1 ? w.scales : w.scales.map((s) => s * plan.alpha);
    // Per-channel scales must broadcast over the integer output: [N] against [.., N], [1, M, 1, 1] against [N, M, H, W].
    const scaleDims = conv ? plan.weightDims.map((_, i) => (i === 1 ? channels : 1)) : [channels];
    const ws = this.constant(`${plan.weightName}_scale`, 'float32', scaleDims, outputScale);
    // ORT's ConvInteger accepts only a per-tensor weight zero point; the weights are symmetric, so
    // every channel shares one zero point and the per-channel scales keep the accuracy. MatMulInteger
    // takes one (zero) per column, as ORT's quantizer writes it.
    const wzp = conv
      ? this.constant(`${plan.weightName}_zero_point`, stored.type, [], [stored.zeroPoint])
      : this.constant(`${plan.weightName}_zero_point`, 'int8', [channels], new Int8Array(channels));
    this.replaced.add(plan.weightName);

    const emitted = conv ? 'ConvInteger' : 'MatMulInteger';
    const scales = this.fresh(`${label}_scales`);
    this.node(out, 'Mul', [x.scale, ws], [scales], `${label}_scales_mul`);
    const yInt = this.fresh(`${plan.output}_int32`);
    // ConvInteger takes Conv's attributes (kernel_shape, strides, pads, dilations, group, auto_pad) unchanged.
    this.node(out, emitted, [x.q, wq, x.zeroPoint, wzp], [yInt], `${label}_quant`, conv ? plan.node.attribute : []);
    const yFloat = this.fresh(`${plan.output}_float`);
    this.node(out, 'Cast', [yInt], [yFloat], `${label}_cast`, [attributeProto('to', onnx.TensorProto.DataType.FLOAT)]);
    if (!plan.bias) {
      this.node(out, 'Mul', [yFloat, scales], [plan.output], `${label}_output_scale_mul`);
    } else {
      const scaled = this.fresh(`${plan.output}_scaled`);
      this.node(out, 'Mul', [yFloat, scales], [scaled], `${label}_output_scale_mul`);
      let bias = plan.bias.kind === 'tensor' ? plan.bias.name : '';
      if (plan.bias.kind === 'values') {
        bias = this.constant(`${plan.bias.from}_${conv ? 'reshaped' : 'scaled'}`, 'float32', plan.bias.dims, plan.bias.values);
        this.replaced.add(plan.bias.from);
      }
      this.node(out, 'Add', [scaled, bias], [plan.output], `${label}_bias_add`);
    }
    return { node: label, opType: plan.opType, emitted, weight: plan.weightName, weightType: stored.type, weightZeroPoint: stored.zeroPoint, channels, maxAbsError: w.maxAbsError };
  }

  /** Adds the new constants and drops the float weights and biases that no node reads any more. */
  finish(): void {
    const read = readNames(this.graph);
    const keep = (t: Tensor): boolean => !this.replaced.has(t.name ?? '') || read.has(t.name ?? '') || this.facts.inputs.has(t.name ?? '');
    this.graph.initializer = [...(this.graph.initializer ?? []).filter(keep), ...this.added];
  }
}
