import { isAppError } from '@inkwell/contracts';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './sniff-image';

function codeOf(bytes: Uint8Array): string {
  try {
    sniffImage(bytes);
    return 'accepted';
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
}

const img = (w: number, h: number): Sharp => sharp({ create: { width: w, height: h, channels: 3, background: '#ffffff' } });
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b);

describe('sniffImage', () => {
  it('reads PNG and JPEG dimensions from the header, including JPEGs with EXIF before the frame and progressive ones', async () => {
    expect(sniffImage(u8(await img(123, 45).png().toBuffer()))).toEqual({ format: 'png', width: 123, height: 45, components: null, hasExif: false, wholeDecodeBytes: 0 });
    expect(sniffImage(u8(await img(77, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer()))).toMatchObject({ format: 'jpeg', width: 77, height: 300, components: 3 });
    expect(sniffImage(u8(await img(64, 32).jpeg({ progressive: true }).toBuffer()))).toMatchObject({ width: 64, height: 32 });
    expect(sniffImage(u8(await img(40, 30).toColourspace('cmyk').jpeg().toBuffer()))).toMatchObject({ components: 4 });
  });

  it('estimates what the decoder must hold whole: interlaced PNG pixels, progressive JPEG coefficients; 0 when it streams', async () => {
    expect(sniffImage(u8(await img(40, 30).png({ progressive: true }).toBuffer())).wholeDecodeBytes).toBe(40 * 30 * 3);
    expect(sniffImage(u8(await img(40, 30).png().toBuffer())).wholeDecodeBytes).toBe(0);
    // 4:2:0: luma at full size, two chroma planes at a quarter each; 2 bytes per coefficient.
    expect(sniffImage(u8(await img(64, 32).jpeg({ progressive: true }).toBuffer())).wholeDecodeBytes).toBe(64 * 32 * 1.5 * 2);
    expect(sniffImage(u8(await img(64, 32).jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer())).wholeDecodeBytes).toBe(64 * 32 * 3 * 2);
    expect(sniffImage(u8(await img(64, 32).jpeg().toBuffer())).wholeDecodeBytes).toBe(0);
  });

  it('tells whether EXIF (where an orientation could be) is present, and says yes when it cannot tell', async () => {
    const rotated = { orientation: 6 };
    expect(sniffImage(u8(await img(20, 10).jpeg().toBuffer())).hasExif).toBe(false);
    expect(sniffImage(u8(await img(20, 10).jpeg().withMetadata(rotated).toBuffer())).hasExif).toBe(true);
    expect(sniffImage(u8(await img(20, 10).png().toBuffer())).hasExif).toBe(false);
    expect(sniffImage(u8(await img(20, 10).png().withMetadata(rotated).toBuffer())).hasExif).toBe(true);
    // ImageMagick's older form: EXIF as hex in a text chunk.
    const plain = await img(20, 10).png().toBuffer();
    const data = Buffer.from('Raw profile type exif\0\nexif\n0\n', 'latin1');
    const chunk = Buffer.concat([Buffer.from([0, 0, 0, data.length]), Buffer.from('tEXt'), data, Buffer.alloc(4)]);
    const iend = plain.length - 12;
    expect(sniffImage(u8(Buffer.concat([plain.subarray(0, iend), chunk, plain.subarray(iend)]))).hasExif).toBe(true);
    // Cut off after the frame header (JPEG) or inside the chunks (PNG): the scan could not finish.
    const jpeg = u8(await img(20, 10).jpeg().toBuffer());
    const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    expect(sniffImage(jpeg.subarray(0, sof + 12)).hasExif).toBe(true);
    expect(sniffImage(u8(await img(20, 10).png().toBuffer()).subarray(0, 40)).hasExif).toBe(true);
  });

  it('refuses other image formats as unsupported_media_type whatever their first bytes claim to be', async () => {
    expect(codeOf(u8(await img(8, 8).gif().toBuffer()))).toBe('unsupported_media_type');
    expect(codeOf(u8(await img(8, 8).webp().toBuffer()))).toBe('unsupported_media_type');
    expect(codeOf(u8(await img(8, 8).tiff().toBuffer()))).toBe('unsupported_media_type');
    expect(codeOf(u8(await img(8, 8).avif().toBuffer()))).toBe('unsupported_media_type');
    expect(codeOf(new TextEncoder().encode('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unsupported_media_type');
    expect(codeOf(new TextEncoder().encode('<!-- drawn by hand -->\n<svg></svg>'))).toBe('unsupported_media_type');
  });

  it('refuses non-images and unreadable headers as invalid_image', async () => {
    const png = u8(await img(8, 8).png().toBuffer());
    const jpeg = u8(await img(8, 8).jpeg().toBuffer());
    expect(codeOf(new Uint8Array())).toBe('invalid_image');
    expect(codeOf(png.subarray(0, 20))).toBe('invalid_image'); // signature but no complete IHDR
    expect(codeOf(jpeg.subarray(0, 10))).toBe('invalid_image'); // SOI and part of APP0, no frame
    expect(codeOf(new TextEncoder().encode('BM is how this text starts'))).toBe('invalid_image');
    expect(codeOf(new TextEncoder().encode('<html><body>7</body></html>'))).toBe('invalid_image');
  });

  it('refuses a JPEG whose frame header gives a zero height', async () => {
    const jpeg = u8(await img(16, 16).jpeg().toBuffer());
    // Find SOF0 (FF C0) and zero its height field.
    const at = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    const patched = Uint8Array.from(jpeg);
    patched[at + 5] = 0;
    patched[at + 6] = 0;
    expect(codeOf(patched)).toBe('invalid_image');
  });
});
