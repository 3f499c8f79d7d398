import onnxProto from 'onnx-proto';

// onnx-proto is a CommonJS bundle of protobufjs static classes; re-export its namespace once so the
// rest of the package imports a typed value instead of repeating the interop dance.
export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
