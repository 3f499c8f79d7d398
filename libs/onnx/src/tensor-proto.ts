import { onnx } from './proto';

/** Element types this builder can write; names follow onnxruntime-node's `Tensor` type names. */
export type ElemType = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'string';

const DATA_TYPE: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
  string: onnx.TensorProto.DataType.STRING,
};

export function onnxDataType(type: ElemType): number {
  return DATA_TYPE[type];
}

/** Values accepted for a tensor of each element type. Plain arrays are converted; typed arrays are copied as raw bytes. */
export type TensorValues =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int8Array
  | Uint8Array
  | readonly number[]
  | readonly bigint[]
  | readonly boolean[]
  | readonly string[];

function rawBytes(type: ElemType, values: TensorValues): Uint8Array {
  let typed: ArrayBufferView;
  switch (type) {
    case 'float32':
      typed = values instanceof Float32Array ? values : Float32Array.from(values as readonly number[]);
      break;
    case 'float64':
      typed = values instanceof Float64Array ? values : Float64Array.from(values as readonly number[]);
      break;
    case 'int64':
      typed =
        values instanceof BigInt64Array
          ? values
          : BigInt64Array.from(values as readonly (number | bigint)[], (v) => BigInt(v));
      break;
    case 'int32':
      typed = values instanceof Int32Array ? values : Int32Array.from(values as readonly number[]);
      break;
    case 'int8':
      typed = values instanceof Int8Array ? values : Int8Array.from(values as readonly number[]);
      break;
    case 'uint8':
      typed = values instanceof Uint8Array ? values : Uint8Array.from(values as readonly number[]);
      break;
    case 'bool':
      typed = Uint8Array.from(values as readonly (boolean | number)[], (v) => (v ? 1 : 0));
      break;
    case 'string':
      throw new Error('string tensors are not raw');
  }
  // ONNX raw_data is little-endian, as are all platforms onnxruntime-node ships for; copy so the
  // proto never aliases a buffer the caller may keep mutating (training weights do).
  return new Uint8Array(typed.buffer.slice(typed.byteOffset, typed.byteOffset + typed.byteLength));
}

/** Builds a TensorProto (for initializers and tensor attributes). `dims` must multiply to the value count. */
export function tensorProto(name: string, type: ElemType, dims: readonly number[], values: TensorValues): InstanceType<typeof onnx.TensorProto> {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new Error(`tensor ${name}: dims [${dims.join(', ')}] hold ${count} values, got ${values.length}`);
  }
  const t = new onnx.TensorProto({ name, dims: [...dims], dataType: onnxDataType(type) });
  if (type === 'string') {
    const enc = new TextEncoder();
    t.stringData = (values as readonly string[]).map((s) => enc.encode(s));
  } else {
    t.rawData = rawBytes(type, values);
  }
  return t;
}
