import type { GrayImage } from './gray-image';

// A baseline JPEG decoder for the one case that dominates batch jobs: a small scan, gray or
// colour with neutral chroma (a gray image saved as YCbCr). On the batch bench's 28-64 px digits
// sharp costs ~1 ms of CPU per image, nearly all per-call overhead (a libvips pipeline and a
// thread-pool hop); this costs ~0.08 ms (bench/batch/decode-cost-main.ts). The output is
// bit-identical to libjpeg-turbo's (sharp's decoder): the same Huffman decoding and the same
// integer IDCT (jidctint.c, "islow", which libjpeg-turbo's SIMD code matches exactly), and with
// neutral chroma its YCbCr -> RGB step gives R = G = B = Y, which the BT.601 gray conversion
// leaves as Y (checked on all 50,000 bench images and the test's pictures). Anything else
// (progressive, restart markers, EXIF, ICC or Adobe segments, colour, a stream libjpeg would warn
// about) is declined with null and sharp decodes it as before, so odd files and errors behave as
// they did, and the pipeline's output (and hash) is unchanged.

/** Thrown inside the decoder to decline the file; never leaves this module. */
class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

/** Zigzag index -> natural (row-major) index within an 8x8 block. */
const NATURAL = Uint8Array.of(
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44,
  51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
);

/** A canonical Huffman table as libjpeg derives it: per code length, the largest code and where its symbols start. */
interface Huffman {
  readonly maxCode: Int32Array; // [1..16], -1 when no code has that length
  readonly valOffset: Int32Array; // [1..16]
  readonly symbols: Uint8Array;
  /** By the next LUT_BITS bits: (code length << 8) | symbol for codes that short, else 0. */
  readonly lut: Uint16Array;
}

const LUT_BITS = 8;

/** The largest side this decoder takes (the batch scans are 28-64 px; bigger files go to sharp). */
const MAX_SIDE = 1024;

interface FrameComponent {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly tq: number;
}

/** A component as the scan codes it, with its DC prediction. */
interface ScanComponent {
  readonly component: FrameComponent;
  readonly isLuma: boolean;
  readonly dc: Huffman;
  readonly ac: Huffman;
  readonly quant: Int32Array;
  pred: number;
}

/** An honest 8-bit encoder's dequantized coefficients stay within ~2^11; past this, the integer IDCT below could round differently from libjpeg's 64-bit one. */
const MAX_DEQUANTIZED = 1 << 15;

/**
 * Decodes `bytes` to 8-bit gray exactly as sharp (libjpeg-turbo, then BT.601 luma) would, or
 * returns null when the file is not one this decoder takes: see the file's opening comment.
 */
export function decodeBaselineJpegGray(bytes: Uint8Array): GrayImage | null {
  try {
    return decode(bytes);
  } catch (err) {
    if (err instanceof Decline || err instanceof RangeError) return null;
    throw err;
  }
}

function u16(bytes: Uint8Array, at: number): number {
  if (at + 2 > bytes.length) decline();
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function byteAt(bytes: Uint8Array, at: number): number {
  const b = bytes[at];
  return b === undefined ? decline() : b;
}

function decode(bytes: Uint8Array): GrayImage {
  if (byteAt(bytes, 0) !== 0xff || byteAt(bytes, 1) !== 0xd8) decline();
  const quant: (Int32Array | undefined)[] = [];
  const dc: (Huffman | undefined)[] = [];
  const ac: (Huffman | undefined)[] = [];
  let frame: { width: number; height: number; components: FrameComponent[] } | null = null;
  let sawJfif = false;
  for (let at = 2; ; ) {
    if (byteAt(bytes, at) !== 0xff) decline();
    while (byteAt(bytes, at) === 0xff) at++;
    const marker = byteAt(bytes, at++);
    const length = u16(bytes, at);
    const end = at + length;
    if (length < 2 || end > bytes.length) decline();
    if (marker === 0xc0 || marker === 0xc1) {
      if (frame !== null) decline();
      frame = readFrame(bytes, at, length);
    } else if (marker === 0xc4) {
      readHuffman(bytes, at + 2, end, dc, ac);
    } else if (marker === 0xdb) {
      readQuant(bytes, at + 2, end, quant);
    } else if (marker === 0xdd) {
      // Restart intervals: not worth the code for small files (and libjpeg refuses a DRI of another length).
      if (length !== 4 || u16(bytes, at + 2) !== 0) decline();
    } else if (marker === 0xe0) {
      // libjpeg takes an APP0 as JFIF only when it is at least 16 bytes long.
      sawJfif ||= length >= 16 && bytes[at + 2] === 0x4a && bytes[at + 3] === 0x46 && bytes[at + 4] === 0x49 && bytes[at + 5] === 0x46 && bytes[at + 6] === 0;
    } else if (marker === 0xe1 || marker === 0xe2 || marker === 0xee) {
      // EXIF (orientation), ICC (sharp converts to sRGB) or Adobe (colour transform): sharp's business.
      decline();
    } else if (marker === 0xda) {
      return readScan(bytes, at, end, frame ?? decline(), quant, dc, ac, sawJfif);
    } else if (!((marker >= 0xe3 && marker <= 0xef) || marker === 0xfe)) {
      decline(); // other frame types (progressive, arithmetic, lossless, 12-bit), DNL, a stray SOI/EOI/RST
    }
    at = end;
  }
}

function readFrame(bytes: Uint8Array, at: number, length: number): { width: number; height: number; components: FrameComponent[] } {
  const precision = byteAt(bytes, at + 2);
  const height = u16(bytes, at + 3);
  const width = u16(bytes, at + 5);
  const count = byteAt(bytes, at + 7);
  // Small scans only: the caller sends nothing that gets shrunk, and this bound keeps the planes small whoever calls.
  if (precision !== 8 || width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE || (count !== 1 && count !== 3) || length !== 8 + 3 * count) decline();
  const components: FrameComponent[] = [];
  for (let k = 0; k < count; k++) {
    const p = at + 8 + 3 * k;
    const hv = byteAt(bytes, p + 1);
    const c = { id: byteAt(bytes, p), h: hv >> 4, v: hv & 15, tq: byteAt(bytes, p + 2) };
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 || components.some((o) => o.id === c.id)) decline();
    components.push(c);
  }
  // What libjpeg refuses: more than 10 blocks in an interleaved MCU, and sampling factors that do not divide the largest.
  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  if (count > 1 && components.reduce((t, c) => t + c.h * c.v, 0) > 10) decline();
  if (components.some((c) => hMax % c.h !== 0 || vMax % c.v !== 0)) decline();
  return { width, height, components };
}

function readQuant(bytes: Uint8Array, at: number, end: number, quant: (Int32Array | undefined)[]): void {
  while (at < end) {
    const pq = byteAt(bytes, at) >> 4;
    const tq = byteAt(bytes, at) & 15;
    at++;
    if (pq > 1 || tq > 3 || at + 64 * (pq + 1) > end) decline();
    const table = new Int32Array(64);
    for (let i = 0; i < 64; i++) {
      const q = pq === 0 ? byteAt(bytes, at + i) : u16(bytes, at + 2 * i);
      if (q === 0) decline();
      table[NATURAL[i] ?? 0] = q;
    }
    quant[tq] = table;
    at += 64 * (pq + 1);
  }
  if (at !== end) decline();
}

function readHuffman(bytes: Uint8Array, at: number, end: number, dc: (Huffman | undefined)[], ac: (Huffman | undefined)[]): void {
  while (at < end) {
    const tc = byteAt(bytes, at) >> 4;
    const th = byteAt(bytes, at) & 15;
    if (tc > 1 || th > 3 || at + 17 > end) decline();
    const counts = bytes.subarray(at + 1, at + 17);
    let total = 0;
    for (const n of counts) total += n;
    if (total > 256 || at + 17 + total > end) decline();
    const symbols = bytes.slice(at + 17, at + 17 + total);
    if (tc === 0 && symbols.some((s) => s > 15)) decline(); // libjpeg refuses such a DC table
    const maxCode = new Int32Array(17).fill(-1);
    const valOffset = new Int32Array(17);
    let code = 0;
    let k = 0;
    for (let len = 1; len <= 16; len++) {
      const n = counts[len - 1] ?? 0;
      valOffset[len] = k - code;
      code += n;
      k += n;
      if (n > 0) maxCode[len] = code - 1;
      // Over-subscribed, or an all-ones code in use: libjpeg's "bogus Huffman table".
      if (code >= 1 << len) decline();
      code <<= 1;
    }
    // Codes of a valid canonical table do not overlap, so each short code owns the range of
    // LUT_BITS-bit prefixes that start with it.
    const lut = new Uint16Array(1 << LUT_BITS);
    for (let len = 1, first = 0, k = 0; len <= LUT_BITS; len++, first <<= 1) {
      for (let i = 0; i < (counts[len - 1] ?? 0); i++, first++, k++) {
        const shift = LUT_BITS - len;
        const entry = (len << 8) | (symbols[k] ?? 0);
        for (let j = first << shift; j < (first + 1) << shift; j++) lut[j] = entry;
      }
    }
    (tc === 0 ? dc : ac)[th] = { maxCode, valOffset, symbols, lut };
    at += 17 + total;
  }
  if (at !== end) decline();
}

/** The scan's entropy-coded bytes with 0xFF00 unstuffed, up to the marker that ends them (`next`), plus zero padding for peeking. */
function entropyBytes(bytes: Uint8Array, from: number): { data: Uint8Array; length: number; next: number } {
  const data = new Uint8Array(bytes.length - from + 4);
  let length = 0;
  for (let p = from; ; ) {
    const ff = bytes.indexOf(0xff, p);
    if (ff < 0) decline(); // no EOI
    data.set(bytes.subarray(p, ff), length);
    length += ff - p;
    if (byteAt(bytes, ff + 1) !== 0) return { data, length, next: ff };
    data[length++] = 0xff;
    p = ff + 2;
  }
}

/** Reads bits MSB first from unstuffed entropy bytes; reading past them is caught after each block. */
class BitReader {
  pos = 0;

  constructor(private readonly data: Uint8Array) {}

  /** The next 16 bits, not consumed. */
  peek16(): number {
    const i = this.pos >> 3;
    const d = this.data;
    return ((((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0)) >>> (8 - (this.pos & 7))) & 0xffff;
  }

  symbol(table: Huffman): number {
    const peek = this.peek16();
    const hit = table.lut[peek >> (16 - LUT_BITS)] ?? 0;
    if (hit !== 0) {
      this.pos += hit >> 8;
      return hit & 0xff;
    }
    for (let len = LUT_BITS + 1; len <= 16; len++) {
      const code = peek >> (16 - len);
      if (code <= (table.maxCode[len] ?? -1)) {
        this.pos += len;
        return table.symbols[code + (table.valOffset[len] ?? 0)] ?? decline();
      }
    }
    return decline(); // no such code: corrupt data
  }

  /** The next n (0..15) bits as JPEG's sign-extended magnitude category value. */
  extended(n: number): number {
    if (n === 0) return 0;
    const v = this.peek16() >> (16 - n);
    this.pos += n;
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }
}

function readScan(
  bytes: Uint8Array,
  at: number,
  end: number,
  frame: { width: number; height: number; components: FrameComponent[] },
  quant: (Int32Array | undefined)[],
  dc: (Huffman | undefined)[],
  ac: (Huffman | undefined)[],
  sawJfif: boolean,
): GrayImage {
  const { width, height, components } = frame;
  const n = byteAt(bytes, at + 2);
  if (n !== components.length || end - at !== 6 + 2 * n) decline();
  // One scan with every component, spectral selection 0..63, no successive approximation: baseline.
  if (byteAt(bytes, at + 3 + 2 * n) !== 0 || byteAt(bytes, at + 4 + 2 * n) !== 63 || byteAt(bytes, at + 5 + 2 * n) !== 0) decline();
  // libjpeg reads component ids 'R','G','B' (without JFIF) as RGB, not YCbCr; Y is the frame's first component.
  if (n === 3 && !sawJfif && components[0]?.id === 82 && components[1]?.id === 71 && components[2]?.id === 66) decline();
  const luma = components[0] ?? decline();
  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  if (luma.h !== hMax || luma.v !== vMax) decline();
  const scan: ScanComponent[] = [];
  for (let k = 0; k < n; k++) {
    const id = byteAt(bytes, at + 3 + 2 * k);
    const tables = byteAt(bytes, at + 4 + 2 * k);
    const component = components.find((c) => c.id === id) ?? decline();
    if (scan.some((s) => s.component === component)) decline();
    scan.push({ component, isLuma: component === luma, dc: dc[tables >> 4] ?? decline(), ac: ac[tables & 15] ?? decline(), quant: quant[component.tq] ?? decline(), pred: 0 });
  }

  // A single-component scan is non-interleaved: one block per MCU, only the blocks the image covers.
  const interleaved = n > 1;
  const mcuW = interleaved ? 8 * hMax : 8;
  const mcuH = interleaved ? 8 * vMax : 8;
  const mcusX = Math.ceil(width / mcuW);
  const mcusY = Math.ceil(height / mcuH);
  const stride = mcusX * mcuW;
  const plane = new Uint8Array(stride * mcusY * mcuH);
  const coef = new Int32Array(64);
  const work = new Float64Array(64);
  const entropy = entropyBytes(bytes, end);
  const reader = new BitReader(entropy.data);
  const bitLength = entropy.length * 8;
  for (let my = 0; my < mcusY; my++) {
    for (let mx = 0; mx < mcusX; mx++) {
      for (const s of scan) {
        const bh = interleaved ? s.component.h : 1;
        const bv = interleaved ? s.component.v : 1;
        for (let by = 0; by < bv; by++) {
          for (let bx = 0; bx < bh; bx++) {
            coef.fill(0);
            s.pred += reader.extended(reader.symbol(s.dc));
            coef[0] = s.pred;
            let ac = false;
            for (let k = 1; k < 64; k++) {
              const rs = reader.symbol(s.ac);
              const r = rs >> 4;
              const size = rs & 15;
              if (size === 0) {
                if (r !== 15) break; // end of block
                k += 15;
                continue;
              }
              k += r;
              if (k > 63) decline();
              coef[NATURAL[k] ?? 0] = reader.extended(size);
              ac = true;
            }
            if (reader.pos > bitLength) decline(); // ran into the marker: libjpeg would pad with zeros and warn
            if (!s.isLuma) {
              // Neutral chroma only: then libjpeg's colour conversion leaves R = G = B = Y.
              if (ac || s.pred !== 0) decline();
              continue;
            }
            const origin = (mx * bh + bx) * 8 + (my * bv + by) * 8 * stride;
            if (ac) idctIslow(coef, s.quant, work, plane, stride, origin);
            else flatBlock(s.pred * (s.quant[0] ?? 0), plane, stride, origin);
          }
        }
      }
    }
  }
  // The scan must end at EOI: leftover entropy bytes or another segment are libjpeg warnings or more scans.
  if (Math.ceil(reader.pos / 8) !== entropy.length) decline();
  let p = entropy.next;
  while (byteAt(bytes, p) === 0xff) p++;
  if (byteAt(bytes, p) !== 0xd9) decline();

  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) out.set(plane.subarray(y * stride, y * stride + width), y * width);
  return { data: out, width, height };
}

// libjpeg's jidctint.c constants: FIX(x) = round(x * 2^13).
const CONST_BITS = 13;
const PASS1_BITS = 2;
const F_0_298631336 = 2446;
const F_0_390180644 = 3196;
const F_0_541196100 = 4433;
const F_0_765366865 = 6270;
const F_0_899976223 = 7373;
const F_1_175875602 = 9633;
const F_1_501321110 = 12299;
const F_1_847759065 = 15137;
const F_1_961570560 = 16069;
const F_2_053119869 = 16819;
const F_2_562915447 = 20995;
const F_3_072711026 = 25172;
const PASS1_SCALE = 1 / (1 << (CONST_BITS - PASS1_BITS));
const PASS1_HALF = 1 << (CONST_BITS - PASS1_BITS - 1);
const PASS2_SCALE = 1 / (1 << (CONST_BITS + PASS1_BITS + 3));
const PASS2_HALF = 1 << (CONST_BITS + PASS1_BITS + 3 - 1);

/**
 * libjpeg's post-IDCT range limit: centred and clamped. Past this window libjpeg's C table wraps
 * where sharp's SIMD build clamps, so the two disagree; an honest 8-bit encoder never gets there,
 * and such a block is left to sharp.
 */
function rangeLimit(v: number): number {
  if (v < -384 || v > 383) decline();
  return v < -128 ? 0 : v > 127 ? 255 : v + 128;
}

/** sharp's SIMD IDCT keeps the pass-1 workspace in 16 bits; a value past that is left to sharp. */
function workspace16(v: number): number {
  if (v < -32768 || v > 32767) decline();
  return v;
}

/**
 * A block with only its DC term: jpeg_idct_islow's zero-AC shortcuts give every pixel
 * range_limit(DESCALE(dc << PASS1_BITS, PASS1_BITS + 3)); about half a small scan's blocks are paper.
 */
function flatBlock(dc: number, out: Uint8Array, stride: number, origin: number): void {
  if (dc >= MAX_DEQUANTIZED || dc <= -MAX_DEQUANTIZED) decline();
  const v = rangeLimit(Math.floor((dc * (1 << PASS1_BITS) + (1 << (PASS1_BITS + 2))) / (1 << (PASS1_BITS + 3))));
  for (let r = 0; r < 8; r++) out.fill(v, origin + r * stride, origin + r * stride + 8);
}

/**
 * jpeg_idct_islow, operation for operation. Its 64-bit intermediates are kept exact as doubles
 * (all below 2^53 given MAX_DEQUANTIZED), and DESCALE's arithmetic shift is a floor division.
 */
function idctIslow(coef: Int32Array, q: Int32Array, ws: Float64Array, out: Uint8Array, stride: number, origin: number): void {
  for (let i = 0; i < 64; i++) {
    const v = (coef[i] ?? 0) * (q[i] ?? 0);
    // Also keeps each coefficient within libjpeg's 16-bit JCOEF, so none wraps there.
    if (v >= MAX_DEQUANTIZED || v <= -MAX_DEQUANTIZED) decline();
    ws[i] = v;
  }
  // Pass 1: columns, results scaled up by 2^PASS1_BITS and truncated to int as libjpeg's workspace is.
  for (let c = 0; c < 8; c++) {
    const d1 = ws[8 + c] ?? 0;
    const d2 = ws[16 + c] ?? 0;
    const d3 = ws[24 + c] ?? 0;
    const d4 = ws[32 + c] ?? 0;
    const d5 = ws[40 + c] ?? 0;
    const d6 = ws[48 + c] ?? 0;
    const d7 = ws[56 + c] ?? 0;
    const d0 = ws[c] ?? 0;
    if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) {
      const dcval = workspace16(d0 * (1 << PASS1_BITS));
      for (let r = 0; r < 8; r++) ws[8 * r + c] = dcval;
      continue;
    }
    const o = butterfly(d0, d1, d2, d3, d4, d5, d6, d7);
    for (let r = 0; r < 8; r++) ws[8 * r + c] = workspace16(Math.floor(((o[r] ?? 0) + PASS1_HALF) * PASS1_SCALE));
  }
  // Pass 2: rows, descaled by the pass-1 factor and the IDCT's 8, then range-limited.
  for (let r = 0; r < 8; r++) {
    const w = 8 * r;
    const o = origin + r * stride;
    const row = butterfly(ws[w] ?? 0, ws[w + 1] ?? 0, ws[w + 2] ?? 0, ws[w + 3] ?? 0, ws[w + 4] ?? 0, ws[w + 5] ?? 0, ws[w + 6] ?? 0, ws[w + 7] ?? 0);
    for (let x = 0; x < 8; x++) out[o + x] = rangeLimit(Math.floor(((row[x] ?? 0) + PASS2_HALF) * PASS2_SCALE));
  }
}

const butterflyOut = new Float64Array(8);

/** The islow 1-D IDCT's even and odd parts, before descaling (shared by both passes). */
function butterfly(d0: number, d1: number, d2: number, d3: number, d4: number, d5: number, d6: number, d7: number): Float64Array {
  // Even part.
  let z1 = (d2 + d6) * F_0_541196100;
  const t2 = z1 - d6 * F_1_847759065;
  const t3 = z1 + d2 * F_0_765366865;
  let t0 = (d0 + d4) * (1 << CONST_BITS);
  let t1 = (d0 - d4) * (1 << CONST_BITS);
  const t10 = t0 + t3;
  const t13 = t0 - t3;
  const t11 = t1 + t2;
  const t12 = t1 - t2;
  // Odd part.
  t0 = d7;
  t1 = d5;
  let u2 = d3;
  let u3 = d1;
  z1 = t0 + u3;
  let z2 = t1 + u2;
  let z3 = t0 + u2;
  let z4 = t1 + u3;
  const z5 = (z3 + z4) * F_1_175875602;
  t0 *= F_0_298631336;
  t1 *= F_2_053119869;
  u2 *= F_3_072711026;
  u3 *= F_1_501321110;
  z1 *= -F_0_899976223;
  z2 *= -F_2_562915447;
  z3 *= -F_1_961570560;
  z4 *= -F_0_390180644;
  z3 += z5;
  z4 += z5;
  t0 += z1 + z3;
  t1 += z2 + z4;
  u2 += z2 + z3;
  u3 += z1 + z4;
  const o = butterflyOut;
  o[0] = t10 + u3;
  o[7] = t10 - u3;
  o[1] = t11 + u2;
  o[6] = t11 - u2;
  o[2] = t12 + t1;
  o[5] = t12 - t1;
  o[3] = t13 + t0;
  o[4] = t13 - t0;
  return o;
}
