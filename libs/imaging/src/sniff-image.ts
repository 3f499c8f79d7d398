import { AppError } from '@inkwell/contracts';

/** What the bytes say they are, read from the header alone (nothing is decoded). */
export interface ImageHeader {
  readonly format: 'png' | 'jpeg';
  /** Stored dimensions, before EXIF orientation. */
  readonly width: number;
  readonly height: number;
  /** Colour components (JPEG frame header: 1 gray, 3 YCbCr, 4 CMYK/YCCK); null for PNG. */
  readonly components: number | null;
  /**
   * The file carries EXIF (a JPEG APP1 `Exif` segment, a PNG `eXIf` chunk), the only place an
   * orientation can come from; true as well when the scan for it was cut short. Without it,
   * asking sharp to auto-orient is a no-op that still costs ~0.1 ms (a copy to drop the tag).
   */
  readonly hasExif: boolean;
  /**
   * Bytes the decoder must hold at once because the file cannot be decoded row by row: an
   * interlaced (Adam7) PNG's every decoded pixel, a progressive JPEG's every DCT coefficient
   * (2 bytes each, per component at its sampling); 0 for a file that streams. A small file can
   * ask for a lot here, so it is capped with the pixels (image-limits.ts).
   */
  readonly wholeDecodeBytes: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Identifies PNG and JPEG by magic number and reads their dimensions; the declared content type is
 * never trusted. Other image formats (and SVG/XML) are `unsupported_media_type`; anything else, and
 * PNG/JPEG headers too short or malformed to read, is `invalid_image`.
 */
export function sniffImage(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new AppError('invalid_image', 'The file is empty.');
  if (startsWith(bytes, PNG_SIGNATURE)) return readPngHeader(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return readJpegHeader(bytes);
  const other = otherImageFormat(bytes);
  if (other !== null) {
    throw new AppError('unsupported_media_type', `${other} images are not accepted; send a PNG or JPEG.`, { format: other });
  }
  throw new AppError('invalid_image', 'Failed to decode image: the file is not a PNG or JPEG image.');
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

function u16be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32be(bytes: Uint8Array, at: number): number {
  return u16be(bytes, at) * 65536 + u16be(bytes, at + 2);
}

function readPngHeader(bytes: Uint8Array): ImageHeader {
  // signature(8) + IHDR length(4) + "IHDR"(4) + width(4) + height(4) + ...; IHDR must come first.
  if (bytes.length < 8 + 8 + 13 + 4) throw new AppError('invalid_image', 'Failed to decode image: truncated PNG header.');
  if (u32be(bytes, 8) !== 13 || ascii(bytes, 12, 16) !== 'IHDR') {
    throw new AppError('invalid_image', 'Failed to decode image: PNG does not start with an IHDR chunk.');
  }
  const size = validSize('png', u32be(bytes, 16), u32be(bytes, 20), null);
  return { ...size, hasExif: pngHasExif(bytes), wholeDecodeBytes: bytes[28] === 1 ? size.width * size.height * pngBytesPerPixel(bytes[24] ?? 8, bytes[25] ?? 6) : 0 };
}

/** Decoded bytes per pixel for an IHDR bit depth and colour type; a palette counts as RGBA (libpng expands it). */
function pngBytesPerPixel(bitDepth: number, colourType: number): number {
  const channels = { 0: 1, 2: 3, 3: 4, 4: 2, 6: 4 }[colourType] ?? 4;
  return channels * (bitDepth === 16 ? 2 : 1);
}

/**
 * Walks the chunk headers after IHDR (jumping over their data) looking for `eXIf`, or the older
 * "Raw profile type exif" text chunk some tools still write (erring towards orienting).
 */
function pngHasExif(bytes: Uint8Array): boolean {
  for (let at = 8 + 25; ; ) {
    if (at + 8 > bytes.length) return true; // cut short: cannot tell
    const type = ascii(bytes, at + 4, at + 8);
    if (type === 'eXIf') return true;
    if ((type === 'tEXt' || type === 'zTXt' || type === 'iTXt') && ascii(bytes, at + 8, at + 29).toLowerCase() === 'raw profile type exif') return true;
    if (type === 'IEND') return false;
    at += 12 + u32be(bytes, at);
  }
}

/** Start-of-frame markers: baseline, progressive, lossless, arithmetic (not DHT C4, JPG C8, DAC CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** SOF2, SOF6, SOF10, SOF14: progressive frames, whose coefficients libjpeg keeps for the whole image. */
function isProgressive(marker: number): boolean {
  return marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce;
}

/** libjpeg's coefficient buffer for a progressive frame: 2 bytes per coefficient, every component at its own sampling. */
function coefficientBytes(bytes: Uint8Array, sof: number, width: number, height: number, components: number): number {
  const sampling = Array.from({ length: components }, (_, k) => bytes[sof + 9 + 3 * k] ?? 0x11);
  const hMax = Math.max(1, ...sampling.map((s) => s >> 4));
  const vMax = Math.max(1, ...sampling.map((s) => s & 15));
  // A truncated or zero sampling byte counts as full resolution: over-estimating only refuses sooner.
  const share = (s: number): number => (s === 0 ? 1 : ((s >> 4) / hMax) * ((s & 15) / vMax));
  return Math.ceil(width * height * sampling.reduce((sum, s) => sum + share(s), 0) * 2);
}

function readJpegHeader(bytes: Uint8Array): ImageHeader {
  // Segments up to the scan: APPn, tables and the frame header (SOF), in any order. Before the
  // frame, anything odd is the client's broken file; after it, the frame is known and an odd byte
  // only ends the search for EXIF (libjpeg skips such garbage, so the file may still decode).
  let frame: Omit<ImageHeader, 'hasExif'> | null = null;
  let hasExif = false;
  const done = (complete: boolean): ImageHeader => {
    if (frame === null) throw new AppError('invalid_image', 'Failed to decode image: truncated JPEG header.');
    return { ...frame, hasExif: hasExif || !complete };
  };
  let at = 2;
  for (;;) {
    if (at >= bytes.length) return done(false);
    if (bytes[at] !== 0xff) {
      if (frame) return done(false);
      throw new AppError('invalid_image', 'Failed to decode image: corrupt JPEG marker.');
    }
    while (bytes[at] === 0xff) at++; // fill bytes
    const marker = bytes[at];
    at++;
    if (marker === undefined) return done(false);
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // markers without a length
    if (marker === 0xd9 || marker === 0xda) {
      if (frame) return done(true);
      throw new AppError('invalid_image', 'Failed to decode image: JPEG has no frame header.');
    }
    if (at + 2 > bytes.length) return done(false);
    const length = u16be(bytes, at);
    if (length < 2) {
      if (frame) return done(false);
      throw new AppError('invalid_image', 'Failed to decode image: corrupt JPEG segment.');
    }
    if (marker === 0xe1 && ascii(bytes, at + 2, at + 7) === 'Exif\0') hasExif = true; // the pad byte after it varies
    if (isStartOfFrame(marker) && frame === null) {
      if (at + 8 > bytes.length) return done(false);
      // length(2) precision(1) height(2) width(2) components(1), then per component id(1) HV(1) table(1)
      const size = validSize('jpeg', u16be(bytes, at + 5), u16be(bytes, at + 3), bytes[at + 7] ?? 0);
      frame = { ...size, wholeDecodeBytes: isProgressive(marker) ? coefficientBytes(bytes, at, size.width, size.height, size.components ?? 0) : 0 };
    }
    at += length;
  }
}

function validSize(format: ImageHeader['format'], width: number, height: number, components: number | null): Omit<ImageHeader, 'hasExif' | 'wholeDecodeBytes'> {
  // A zero height in a JPEG frame defers it to a DNL marker; nobody sends those, and a size we
  // cannot check before decoding is a size we do not accept.
  if (width === 0 || height === 0) throw new AppError('invalid_image', `Failed to decode image: ${format} header gives a zero dimension.`);
  return { format, width, height, components };
}

/** Recognisable formats we refuse as a media type (415) rather than as garbage (400). */
function otherImageFormat(bytes: Uint8Array): string | null {
  const head = ascii(bytes, 0, 16);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'GIF';
  if (head.startsWith('BM') && bytes.length >= 26 && [12, 40, 52, 56, 64, 108, 124].includes(readU32le(bytes, 14))) return 'BMP';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  if (head.startsWith('RIFF') && ascii(bytes, 8, 12) === 'WEBP') return 'WebP';
  if (ascii(bytes, 4, 8) === 'ftyp' && /^(avif|avis|heic|heix|hevc|mif1|msf1)$/.test(ascii(bytes, 8, 12))) return 'HEIF/AVIF';
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return 'JPEG 2000';
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return 'JPEG XL';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 22) return 'ICO';
  if (head.startsWith('8BPS')) return 'PSD';
  if (head.startsWith('qoif')) return 'QOI';
  if (looksLikeSvgOrXml(bytes)) return 'SVG/XML';
  return null;
}

function readU32le(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) + (bytes[at + 1] ?? 0) * 256 + (bytes[at + 2] ?? 0) * 65536 + (bytes[at + 3] ?? 0) * 16777216;
}

function looksLikeSvgOrXml(bytes: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return text.startsWith('<?xml') || text.startsWith('<svg') || (text.startsWith('<!doctype svg')) || (text.startsWith('<') && text.includes('<svg'));
}
