/**
 * The header of a version-1.0 .npy file as numpy.save writes it (padded so the body starts on a
 * 64-byte boundary). Returned alone so a large array can be written by streaming its body after it.
 */
export function encodeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

/** A whole .npy file: header plus the array's bytes (little-endian, C order). */
export function encodeNpy(descr: string, shape: readonly number[], data: ArrayBufferView): Uint8Array {
  const header = encodeNpyHeader(descr, shape);
  const out = new Uint8Array(header.byteLength + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.byteLength);
  return out;
}
