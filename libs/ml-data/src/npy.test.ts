import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from './errors';
import { parseNpy, parseNpyPair } from './npy';

/** Writes a version-1.0 .npy file the way numpy.save does (header padded to 64 bytes). */
function npy(descr: string, shape: number[], data: ArrayBufferView, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

const N = 3;
const bytes = Uint8Array.from({ length: N * 784 }, (_, i) => (i * 31) % 256);
const labels = npy('<i8', [N], BigInt64Array.from([7n, 0n, 9n]));

describe('NPY loader', () => {
  it('reads uint8 [N,784] and int64 labels', () => {
    const set = parseNpyPair(npy('|u1', [N, 784], bytes), labels);
    expect(set.count).toBe(3);
    expect([...set.labels]).toEqual([7, 0, 9]);
    expect(set.pixels).toEqual(bytes);
  });

  it('reads float32 [N,28,28] in [0,1] and float64 [N,1,28,28] in [0,255] to the same bytes', () => {
    const unit = Float32Array.from(bytes, (b) => b / 255);
    const byte = Float64Array.from(bytes);
    expect(parseNpyPair(npy('<f4', [N, 28, 28], unit), labels).pixels).toEqual(bytes);
    expect(parseNpyPair(npy('<f8', [N, 1, 28, 28], byte), labels).pixels).toEqual(bytes);
  });

  it('reads uint8 labels of shape [N,1]', () => {
    const set = parseNpyPair(npy('|u1', [N, 784], bytes), npy('|u1', [N, 1], Uint8Array.from([1, 2, 3])));
    expect([...set.labels]).toEqual([1, 2, 3]);
  });

  it('explains what is wrong with a bad file', () => {
    const img = npy('|u1', [N, 784], bytes);
    expect(() => parseNpy(new Uint8Array(20))).toThrow(/bad magic/);
    expect(() => parseNpyPair(npy('|u1', [N, 784], bytes, true), labels)).toThrow(/C-order/);
    expect(() => parseNpyPair(npy('|u1', [1, 3 * 784], bytes), npy('|u1', [1], Uint8Array.of(1)))).toThrow(/shape \[N,784\]/);
    expect(() => parseNpyPair(img, npy('|u1', [2], Uint8Array.of(1, 2)))).toThrow(/labels must have shape \[3\]/);
    expect(() => parseNpyPair(img, npy('|u1', [N], Uint8Array.of(1, 12, 3)))).toThrow(/label 12 at index 1/);
    expect(() => parseNpyPair(npy('<f4', [N, 784], Float32Array.from(bytes, (b) => b * 2)), labels)).toThrow(/above/);
    expect(() => parseNpyPair(img.subarray(0, img.length - 5), labels)).toThrow(DatasetFormatError);
    expect(() => parseNpyPair(npy('<c8', [N, 784], new Float32Array(2 * N * 784)), labels)).toThrow(/unsupported NPY header/);
  });
});
