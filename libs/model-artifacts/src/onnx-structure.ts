import { AppError } from '@inkwell/contracts';
import { onnx } from '@inkwell/onnx';
import type { onnx as OnnxTypes } from 'onnx-proto';

/** The import checks, in the order they run; a refusal's `details.check` and message name one. */
export const IMPORT_CHECKS = ['size', 'parse', 'external_data', 'opset', 'custom_operator', 'input', 'output', 'smoke_run'] as const;
export type ImportCheck = (typeof IMPORT_CHECKS)[number];

const CHECK_LABEL: Readonly<Record<ImportCheck, string>> = {
  size: 'size',
  parse: 'parse',
  external_data: 'external data',
  opset: 'opset',
  custom_operator: 'custom operator',
  input: 'input',
  output: 'output',
  smoke_run: 'smoke run',
};

/** The refusal of an uploaded model: "<check> check failed: why", with the check in `details`. */
export function refuseImport(check: ImportCheck, why: string, extra: Readonly<Record<string, unknown>> = {}): AppError {
  return new AppError(check === 'size' ? 'too_large' : 'invalid_model', `${CHECK_LABEL[check]} check failed: ${why}`, { check, ...extra });
}

/**
 * Standard-operator opsets this platform's onnxruntime-node (1.30) runs. Below 7 the operator
 * semantics differ from today's (broadcasting, BatchNormalization); above 23 ORT may load a model
 * while running some operators with older semantics, so it is refused rather than trusted.
 */
export const AI_ONNX_OPSETS = { min: 7, max: 23 } as const;
/** The classic-ML domain (scikit-learn converters use it); 1..5 are the versions ORT implements. */
export const AI_ONNX_ML_OPSETS = { min: 1, max: 5 } as const;
const STANDARD_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

export type InputLayout = 'nchw' | 'flat';

export interface ModelStructure {
  readonly opset: number;
  readonly inputName: string;
  /** `nchw`: [N, 1, 28, 28]; `flat`: [N, 784]. */
  readonly inputLayout: InputLayout;
  readonly outputName: string;
}

type ModelProto = OnnxTypes.ModelProto;
type GraphProto = OnnxTypes.IGraphProto;
type ValueInfo = OnnxTypes.IValueInfoProto;
type Dimension = OnnxTypes.TensorShapeProto.IDimension;
type Int64 = number | { toNumber(): number };

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const toNumber = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/** Decodes the file's bytes as an ONNX ModelProto, or refuses it as `parse` (truncated, or not ONNX). */
export function parseModel(bytes: Uint8Array): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw refuseImport('parse', `the file is not a complete ONNX model (${e instanceof Error ? e.message : String(e)}); it may be truncated`);
  }
  if (!model.graph || (model.graph.node ?? []).length === 0 || (model.graph.output ?? []).length === 0) {
    throw refuseImport('parse', 'the file decodes but holds no ONNX graph with nodes and outputs');
  }
  return model;
}

/** Every graph of the model: the main one and each subgraph held by an If/Loop/Scan node (at every depth). */
function* graphsOf(graph: GraphProto): Generator<GraphProto> {
  yield graph;
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) yield* graphsOf(a.g);
      for (const g of a.graphs ?? []) yield* graphsOf(g);
    }
  }
}

/** Structural checks of a decoded model, in order: external data, opset, custom operators, input, output. */
export function checkStructure(model: ModelProto): ModelStructure {
  const graph = model.graph;
  if (!graph) throw refuseImport('parse', 'the model has no graph');
  checkExternalData(graph);
  const opset = checkOpsets(model);
  checkOperators(graph);
  const { inputName, inputLayout } = checkInput(graph);
  return { opset, inputName, inputLayout, outputName: checkOutput(graph) };
}

function checkExternalData(root: GraphProto): void {
  const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;
  for (const graph of graphsOf(root)) {
    const tensors = [
      ...(graph.initializer ?? []),
      ...(graph.sparseInitializer ?? []).flatMap((s) => [s.values, s.indices]),
      ...(graph.node ?? []).flatMap((n) => (n.attribute ?? []).flatMap((a) => [a.t, ...(a.tensors ?? [])])),
    ];
    for (const t of tensors) {
      // Weights "stored elsewhere" are read by onnxruntime from a path the file names, wherever on this machine it is.
      if (t && (t.dataLocation === EXTERNAL || (t.externalData ?? []).length > 0)) {
        throw refuseImport('external_data', `tensor ${t.name ?? '(unnamed)'} keeps its data outside the file; upload a single self-contained .onnx file`);
      }
    }
  }
}

function checkOpsets(model: ModelProto): number {
  let standard: number | null = null;
  for (const o of model.opsetImport) {
    const domain = o.domain ?? '';
    const version = toNumber(o.version);
    if (domain === '' || domain === 'ai.onnx') {
      if (version < AI_ONNX_OPSETS.min || version > AI_ONNX_OPSETS.max) {
        throw refuseImport('opset', `the model uses ai.onnx opset ${version}; supported: ${AI_ONNX_OPSETS.min}..${AI_ONNX_OPSETS.max}`, { opset: version });
      }
      standard = version;
    } else if (domain === 'ai.onnx.ml' && (version < AI_ONNX_ML_OPSETS.min || version > AI_ONNX_ML_OPSETS.max)) {
      throw refuseImport('opset', `the model uses ai.onnx.ml opset ${version}; supported: ${AI_ONNX_ML_OPSETS.min}..${AI_ONNX_ML_OPSETS.max}`, { opset: version });
    }
  }
  if (standard === null) throw refuseImport('opset', 'the model imports no ai.onnx opset');
  return standard;
}

function checkOperators(root: GraphProto): void {
  for (const graph of graphsOf(root)) {
    for (const node of graph.node ?? []) {
      const domain = node.domain ?? '';
      if (!STANDARD_DOMAINS.has(domain)) {
        throw refuseImport('custom_operator', `node ${node.name || '(unnamed)'} uses operator ${domain}::${node.opType ?? '?'}; only ai.onnx and ai.onnx.ml operators run here`, {
          domain,
          op_type: node.opType,
        });
      }
    }
  }
}

// Decoded dimensions set dimParam or dimValue (a oneof) and leave the other null; neither set means unknown.
const dimText = (d: Dimension): string => (d.dimParam ? d.dimParam : d.dimValue != null ? String(toNumber(d.dimValue)) : '?');
/** A batch dimension chosen at run time: named, left unset, or -1. */
const isDynamic = (d: Dimension): boolean => Boolean(d.dimParam) || d.dimValue == null || toNumber(d.dimValue) <= 0;
const isFixed = (d: Dimension | undefined, n: number): boolean => d !== undefined && !d.dimParam && d.dimValue != null && toNumber(d.dimValue) === n;

interface TensorInfo {
  readonly elemType: number;
  readonly dims: readonly Dimension[] | null;
  readonly text: string;
}

function tensorInfo(v: ValueInfo): TensorInfo | null {
  const t = v.type?.tensorType;
  if (!t) return null;
  const dims = t.shape ? (t.shape.dim ?? []) : null;
  return { elemType: t.elemType ?? 0, dims, text: dims ? `[${dims.map(dimText).join(',')}]` : '(no shape)' };
}

const ELEM_NAMES: Readonly<Record<number, string>> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };
const elemName = (t: number): string => ELEM_NAMES[t] ?? `element type ${t}`;

function checkInput(graph: GraphProto): { inputName: string; inputLayout: InputLayout } {
  // Before IR 4 every initializer was also listed as an input; only the ones fed at run time count.
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const fed = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  const wanted = 'one float32 input [N,1,28,28] or [N,784]';
  if (fed.length !== 1) throw refuseImport('input', `the model needs exactly one input (${wanted}); it has ${fed.length}: ${fed.map((i) => i.name).join(', ')}`);
  const input = fed[0] as ValueInfo;
  const name = input.name ?? '';
  const info = tensorInfo(input);
  if (!info) throw refuseImport('input', `input ${name} is not a tensor; expected ${wanted}`);
  if (info.elemType !== FLOAT) throw refuseImport('input', `input ${name} is ${elemName(info.elemType)}; expected ${wanted}`);
  const dims = info.dims;
  if (!dims) throw refuseImport('input', `input ${name} declares no shape; expected ${wanted}`);
  const batch = dims[0];
  const nchw = dims.length === 4 && isFixed(dims[1], 1) && isFixed(dims[2], 28) && isFixed(dims[3], 28);
  const flat = dims.length === 2 && isFixed(dims[1], 784);
  if (!nchw && !flat) throw refuseImport('input', `input ${name} has shape ${info.text}; expected ${wanted}`);
  if (!batch || !isDynamic(batch)) throw refuseImport('input', `input ${name} has shape ${info.text}: the batch dimension N must be dynamic (named, unset or -1)`);
  return { inputName: name, inputLayout: nchw ? 'nchw' : 'flat' };
}

function checkOutput(graph: GraphProto): string {
  const outputs = graph.output ?? [];
  const wanted = 'one float32 output [N,10] (class probabilities or logits)';
  if (outputs.length !== 1) {
    throw refuseImport('output', `the model needs exactly one output (${wanted}); it has ${outputs.length}: ${outputs.map((o) => o.name).join(', ')}. Scikit-learn: convert with options {zipmap: False} and keep only the probabilities`);
  }
  const output = outputs[0] as ValueInfo;
  const name = output.name ?? '';
  const info = tensorInfo(output);
  if (!info) throw refuseImport('output', `output ${name} is not a tensor; expected ${wanted}`);
  if (info.elemType !== FLOAT) throw refuseImport('output', `output ${name} is ${elemName(info.elemType)}; expected ${wanted}`);
  if (!info.dims || info.dims.length !== 2 || !isFixed(info.dims[1], 10)) throw refuseImport('output', `output ${name} has shape ${info.text}; expected ${wanted}`);
  return name;
}
