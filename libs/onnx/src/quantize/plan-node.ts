import { type Graph, type Node, type Tensor, dimsOf, floatValues, numberAttr } from './graph-access';
import { QUANTIZED_OP_TYPES, type QuantizedOpType } from './quantize-report';
import { transpose2d } from './weight-quant';

/** A constant bias added after the integer product (Gemm's C, Conv's B). */
export type BiasPlan =
  /** An existing tensor added as is (Gemm's C with beta = 1 broadcasts exactly as Add does). */
  | { readonly kind: 'tensor'; readonly name: string }
  /** New values: Gemm's C times beta, or Conv's [M] bias reshaped to [1, M, 1, 1] for Add's broadcast. */
  | { readonly kind: 'values'; readonly from: string; readonly dims: readonly number[]; readonly values: Float32Array };

/** How one float node becomes DynamicQuantizeLinear -> MatMulInteger / ConvInteger -> Cast -> Mul (-> Add). */
export interface QuantizePlan {
  readonly node: Node;
  readonly opType: QuantizedOpType;
  readonly activation: string;
  readonly weightName: string;
  /** The weight in the integer op's layout: [K, N] for MatMulInteger, [M, C/group, kH, kW] for ConvInteger. */
  readonly weight: Float32Array;
  readonly weightDims: readonly number[];
  /** The output-channel axis of `weightDims`: 1 (N) for MatMulInteger, 0 (M) for ConvInteger. */
  readonly channelAxis: number;
  /** Gemm's alpha, folded into the output scale; 1 otherwise. */
  readonly alpha: number;
  readonly bias: BiasPlan | null;
  readonly output: string;
}

export interface GraphFacts {
  readonly initializers: ReadonlyMap<string, Tensor>;
  /** Graph inputs: an initializer listed there may be replaced at run time, so it is not a constant. */
  readonly inputs: ReadonlySet<string>;
}

export function graphFacts(graph: Graph): GraphFacts {
  const initializers = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) if (t.name) initializers.set(t.name, t);
  return { initializers, inputs: new Set((graph.input ?? []).map((v) => v.name ?? '')) };
}

type Refusal = { readonly reason: string };
const refuse = (reason: string): Refusal => ({ reason });

const isQuantizable = (op: string): op is QuantizedOpType => (QUANTIZED_OP_TYPES as readonly string[]).includes(op);

/** A float32 constant's values and dims, or why the operand is not one. */
function constant(facts: GraphFacts, name: string | undefined, role: string): { t: Tensor; values: Float32Array; dims: number[] } | Refusal {
  if (!name) return refuse(`it has no ${role}`);
  const t = facts.initializers.get(name);
  if (!t) return refuse(`its ${role} ${name} is computed at run time, not a constant initializer`);
  if (facts.inputs.has(name)) return refuse(`its ${role} ${name} is also a graph input, so it may be replaced at run time`);
  const values = floatValues(t);
  if ('reason' in values) return refuse(`its ${role} ${name} ${values.reason}`);
  return { t, values, dims: dimsOf(t) };
}

/** The plan for quantizing `node`, or the reason it stays in float. */
export function planNode(node: Node, facts: GraphFacts): QuantizePlan | Refusal {
  const op = node.opType ?? '';
  if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') return refuse(`operator ${op} of domain ${node.domain ?? ''} is not quantized`);
  if (!isQuantizable(op)) return refuse(`only ${QUANTIZED_OP_TYPES.join(', ')} are quantized; ${op} has no weight matrix`);
  const [activation, weightName, biasName] = node.input ?? [];
  const output = node.output?.[0];
  if (!activation || !output || (node.output ?? []).length !== 1) return refuse('it does not have one activation input and one output');
  const w = constant(facts, weightName, 'weight');
  if ('reason' in w) return w;
  const base = { node, opType: op, activation, weightName: weightName ?? '', output };
  switch (op) {
    case 'MatMul':
      if (w.dims.length !== 2) return refuse(`its weight is ${w.dims.length}-D; MatMulInteger's per-column scales need a 2-D [K, N] weight`);
      return { ...base, weight: w.values, weightDims: w.dims, channelAxis: 1, alpha: 1, bias: null };
    case 'Gemm':
      return planGemm(node, facts, base, w);
    case 'Conv':
      return planConv(facts, base, w, biasName);
  }
}

type Base = Pick<QuantizePlan, 'node' | 'opType' | 'activation' | 'weightName' | 'output'>;

function planGemm(node: Node, facts: GraphFacts, base: Base, w: { values: Float32Array; dims: number[] }): QuantizePlan | Refusal {
  if (numberAttr(node, 'transA', 0) !== 0) return refuse('Gemm with transA = 1 would need a Transpose in front of MatMulInteger');
  const [rows, cols] = w.dims;
  if (w.dims.length !== 2 || rows === undefined || cols === undefined) return refuse('its weight is not 2-D');
  const transB = numberAttr(node, 'transB', 0) !== 0;
  // MatMulInteger multiplies by B as [K, N]; a transB weight is stored [N, K], so it is transposed once here.
  const weight = transB ? transpose2d(w.values, rows, cols) : w.values;
  const weightDims = transB ? [cols, rows] : [rows, cols];
  const beta = numberAttr(node, 'beta', 1);
  const cName = node.input?.[2];
  let bias: BiasPlan | null = null;
  if (cName && beta !== 0) {
    if (beta === 1) bias = { kind: 'tensor', name: cName };
    else {
      const c = constant(facts, cName, 'bias C');
      if ('reason' in c) return refuse(`beta is ${beta} and ${c.reason}`);
      bias = { kind: 'values', from: cName, dims: c.dims, values: c.values.map((v) => Math.fround(v * beta)) };
    }
  }
  return { ...base, weight, weightDims, channelAxis: 1, alpha: numberAttr(base.node, 'alpha', 1), bias };
}

function planConv(facts: GraphFacts, base: Base, w: { values: Float32Array; dims: number[] }, biasName: string | undefined): QuantizePlan | Refusal {
  const m = w.dims[0];
  if (w.dims.length < 3 || m === undefined) return refuse(`its weight is ${w.dims.length}-D, not [M, C/group, k...]`);
  let bias: BiasPlan | null = null;
  if (biasName) {
    const b = constant(facts, biasName, 'bias');
    if ('reason' in b) return b;
    if (b.values.length !== m) return refuse(`its bias has ${b.values.length} values for ${m} output channels`);
    // Conv adds B per output channel; after ConvInteger the same values must broadcast over [N, M, spatial...].
    bias = { kind: 'values', from: biasName, dims: w.dims.map((_, i) => (i === 1 ? m : 1)), values: b.values };
  }
  return { ...base, weight: w.values, weightDims: w.dims, channelAxis: 0, alpha: 1, bias };
}
