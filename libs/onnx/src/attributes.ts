import { onnx } from './proto';
import { type ElemType, type TensorValues, tensorProto } from './tensor-proto';

const AT = onnx.AttributeProto.AttributeType;

/**
 * An attribute value whose ONNX type is stated, for the cases where a plain JS value is ambiguous
 * (a float that happens to be whole, an empty list, a list of floats that are all whole).
 */
export type TypedAttr =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensor'; readonly type: ElemType; readonly dims: readonly number[]; readonly value: TensorValues };

/**
 * What `node()` accepts as an attribute. Plain values are typed by their content:
 * integer number -> INT, other number -> FLOAT, string -> STRING, string[] -> STRINGS,
 * number[] -> INTS if every entry is an integer else FLOATS, Float32Array/Float64Array -> FLOATS.
 * Use the `attr.*` helpers whenever that guess could be wrong (e.g. `attr.floats([0, 1])`).
 */
export type AttrValue = number | string | readonly string[] | readonly number[] | Float32Array | Float64Array | TypedAttr;

export const attr = {
  float: (value: number): TypedAttr => ({ kind: 'float', value }),
  int: (value: number): TypedAttr => ({ kind: 'int', value }),
  floats: (value: ArrayLike<number>): TypedAttr => ({ kind: 'floats', value: Array.from(value) }),
  ints: (value: ArrayLike<number>): TypedAttr => ({ kind: 'ints', value: Array.from(value) }),
  string: (value: string): TypedAttr => ({ kind: 'string', value }),
  strings: (value: readonly string[]): TypedAttr => ({ kind: 'strings', value }),
  tensor: (type: ElemType, dims: readonly number[], value: TensorValues): TypedAttr => ({ kind: 'tensor', type, dims, value }),
};

function isTyped(v: AttrValue): v is TypedAttr {
  return typeof v === 'object' && v !== null && 'kind' in v && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function toTyped(v: AttrValue): TypedAttr {
  if (isTyped(v)) return v;
  if (typeof v === 'number') return Number.isInteger(v) ? attr.int(v) : attr.float(v);
  if (typeof v === 'string') return attr.string(v);
  if (v instanceof Float32Array || v instanceof Float64Array) return attr.floats(v);
  const list = v as readonly (number | string)[];
  if (list.length > 0 && list.every((x) => typeof x === 'string')) return attr.strings(list as readonly string[]);
  const nums = list as readonly number[];
  if (nums.length === 0) throw new Error('an empty attribute list has no type; use attr.ints([]) or attr.floats([])');
  return nums.every((x) => Number.isInteger(x)) ? attr.ints(nums) : attr.floats(nums);
}

const encoder = new TextEncoder();

function checkInts(name: string, values: readonly number[]): void {
  for (const x of values) if (!Number.isSafeInteger(x)) throw new Error(`attribute ${name}: ${x} is not an integer`);
}

export function attributeProto(name: string, value: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const a = toTyped(value);
  switch (a.kind) {
    case 'float':
      return new onnx.AttributeProto({ name, type: AT.FLOAT, f: a.value });
    case 'int':
      checkInts(name, [a.value]);
      return new onnx.AttributeProto({ name, type: AT.INT, i: a.value });
    case 'floats':
      return new onnx.AttributeProto({ name, type: AT.FLOATS, floats: [...a.value] });
    case 'ints':
      checkInts(name, a.value);
      return new onnx.AttributeProto({ name, type: AT.INTS, ints: [...a.value] });
    case 'string':
      return new onnx.AttributeProto({ name, type: AT.STRING, s: encoder.encode(a.value) });
    case 'strings':
      return new onnx.AttributeProto({ name, type: AT.STRINGS, strings: a.value.map((s) => encoder.encode(s)) });
    case 'tensor':
      return new onnx.AttributeProto({ name, type: AT.TENSOR, t: tensorProto(name, a.type, a.dims, a.value) });
  }
}
