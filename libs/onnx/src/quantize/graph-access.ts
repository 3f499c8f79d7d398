import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../proto';

export type Graph = OnnxTypes.IGraphProto;
export type Node = OnnxTypes.INodeProto;
export type Tensor = OnnxTypes.ITensorProto;
type Int64 = number | { toNumber(): number } | null | undefined;

const DT = onnx.TensorProto.DataType;

/** protobufjs decodes int64 fields as Long objects when the long library is present, as numbers otherwise. */
export const toNumber = (v: Int64): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

export const dimsOf = (t: Tensor): number[] => (t.dims ?? []).map(toNumber);

/** Bytes of each element type's values (what a tensor costs in memory, whatever its serialised field). */
const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DT.FLOAT]: 4,
  [DT.DOUBLE]: 8,
  [DT.FLOAT16]: 2,
  [DT.BFLOAT16]: 2,
  [DT.INT8]: 1,
  [DT.UINT8]: 1,
  [DT.BOOL]: 1,
  [DT.INT16]: 2,
  [DT.UINT16]: 2,
  [DT.INT32]: 4,
  [DT.UINT32]: 4,
  [DT.INT64]: 8,
  [DT.UINT64]: 8,
};

/** Data bytes of an initializer: element count times element size (string and unknown types: their encoded size). */
export function tensorBytes(t: Tensor): number {
  const size = ELEMENT_BYTES[t.dataType ?? 0];
  if (size === undefined) return onnx.TensorProto.encode(t).finish().length;
  return dimsOf(t).reduce((a, b) => a * b, 1) * size;
}

/** A float32 initializer's values, or why it cannot be read as one. */
export function floatValues(t: Tensor): Float32Array | { readonly reason: string } {
  if (t.dataType !== DT.FLOAT) return { reason: `is of ONNX data type ${t.dataType ?? 0}, not float32` };
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData ?? []).length > 0) return { reason: 'is stored as external data' };
  const count = dimsOf(t).reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== count * 4) return { reason: `holds ${raw.length} bytes for ${count} float32 values` };
    // raw_data is little-endian by the ONNX spec; DataView reads it so on any host and from any byte offset.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  const data = t.floatData ?? [];
  if (data.length !== count) return { reason: `holds ${data.length} values for ${count}` };
  return Float32Array.from(data);
}

/** An attribute's value as a number (ints and floats), or `fallback` when the node does not set it. */
export function numberAttr(node: Node, name: string, fallback: number): number {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  if (!a) return fallback;
  return a.type === onnx.AttributeProto.AttributeType.FLOAT ? (a.f ?? fallback) : toNumber(a.i);
}

/** Every name a graph and the graphs nested in its nodes' attributes use (tensors and nodes). */
export function namesOf(graph: Graph, into: Set<string> = new Set()): Set<string> {
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) if (v.name) into.add(v.name);
  for (const t of graph.initializer ?? []) if (t.name) into.add(t.name);
  for (const n of graph.node ?? []) {
    if (n.name) into.add(n.name);
    for (const x of [...(n.input ?? []), ...(n.output ?? [])]) if (x) into.add(x);
    for (const g of subgraphs(n)) namesOf(g, into);
  }
  return into;
}

/** Tensor names read by nodes of the graph or of graphs nested in them (a subgraph may read an outer initializer). */
export function readNames(graph: Graph, into: Set<string> = new Set()): Set<string> {
  for (const n of graph.node ?? []) {
    for (const x of n.input ?? []) if (x) into.add(x);
    for (const g of subgraphs(n)) readNames(g, into);
  }
  for (const v of graph.output ?? []) if (v.name) into.add(v.name);
  return into;
}

function subgraphs(n: Node): Graph[] {
  return (n.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}
