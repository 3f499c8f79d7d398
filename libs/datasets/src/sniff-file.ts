import { parseIdxHeader, parseNpyHeader } from '@inkwell/ml-data';
import { readContentHead } from './byte-reader';

/** What the first bytes of a file say it is. */
export type SniffedFile =
  | { readonly kind: 'idx'; readonly ndim: number; readonly dims: readonly number[] }
  | { readonly kind: 'npy'; readonly shape: readonly number[] }
  | { readonly kind: 'zip' }
  | { readonly kind: 'text'; readonly head: string }
  | { readonly kind: 'other'; readonly what: string };

/** Enough for a CSV header plus a couple of 785-field rows (~3 KB each). */
export const SNIFF_BYTES = 64 * 1024;

export async function sniffFile(path: string): Promise<SniffedFile> {
  const { head } = await readContentHead(path, SNIFF_BYTES);
  if (head.length === 0) return { kind: 'other', what: 'an empty file' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { kind: 'zip' };
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) {
    try {
      return { kind: 'npy', shape: parseNpyHeader(head).shape };
    } catch (e) {
      return { kind: 'other', what: `an NPY file we cannot read (${(e as Error).message})` };
    }
  }
  // IDX: 0x00 0x00 0x08 (unsigned byte) then 1..4 dimensions.
  if (head.length >= 8 && head[0] === 0 && head[1] === 0 && head[2] === 0x08 && (head[3] ?? 0) >= 1 && (head[3] ?? 0) <= 4) {
    try {
      const { dims } = parseIdxHeader(head);
      return { kind: 'idx', ndim: dims.length, dims };
    } catch {
      return { kind: 'other', what: 'a truncated IDX header' };
    }
  }
  const known = knownBinary(head);
  if (known !== null) return { kind: 'other', what: known };
  if (looksLikeText(head)) return { kind: 'text', head: new TextDecoder('utf-8').decode(head) };
  return { kind: 'other', what: 'unrecognised binary data' };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** Named so the refusal can say what the client sent. */
function knownBinary(head: Uint8Array): string | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(head, [0x1f, 0x8b])) return 'a gzip file that does not hold an IDX array';
  return null;
}

/** No NUL bytes and mostly printable ASCII: CSV files are text. */
function looksLikeText(head: Uint8Array): boolean {
  let printable = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  }
  return printable / head.length > 0.95;
}
