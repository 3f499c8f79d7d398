/**
 * An image's stored width and height read from its header (nothing decoded), so the page can refuse
 * what the server would refuse before uploading it. Null when the header cannot be read from the
 * bytes given: the server, which reads the same header (libs/imaging sniff-image.ts), then decides.
 */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32 = (b: Uint8Array, at: number): number => u16(b, at) * 65536 + u16(b, at + 2);

/** PNG: the IHDR chunk, which the format requires first (bytes 16-23). */
function pngSize(b: Uint8Array): ImageSize | null {
  if (b.length < 24 || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') return null;
  return { width: u32(b, 16), height: u32(b, 20) };
}

/** Start-of-frame markers: baseline, progressive, lossless, arithmetic (not DHT C4, JPG C8, DAC CC). */
const isStartOfFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** JPEG: walks the marker segments (jumping over EXIF and the like) to the first start-of-frame. */
function jpegSize(b: Uint8Array): ImageSize | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    // Fill bytes, and markers without a length (TEM, RSTn), stand alone.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame
    if (isStartOfFrame(marker)) return at + 9 <= b.length ? { width: u16(b, at + 7), height: u16(b, at + 5) } : null;
    at += 2 + u16(b, at + 2);
  }
  return null;
}

export function imageSize(type: 'image/png' | 'image/jpeg', bytes: Uint8Array): ImageSize | null {
  return type === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
}

/**
 * How much of a file to read for its header: a PNG's is in the first 24 bytes; a JPEG's frame comes
 * after its EXIF and other segments, each at most 64 KB, so a few of them fit in 256 KB.
 */
export const HEADER_BYTES = 256 * 1024;
