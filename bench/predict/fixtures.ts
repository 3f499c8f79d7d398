import sharp from 'sharp';
import { makePhotoFixtures } from '@inkwell/imaging';

export interface BenchImage {
  readonly name: string;
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly label: number;
}

/**
 * The two images of the bench: a small JPEG (a cropped photo of a digit on paper) and a
 * ~200 KB phone-photo PNG (a grainy, unevenly lit page with the digit somewhere on it, stored
 * losslessly, as screenshots and some phone apps do).
 */
export async function benchImages(): Promise<BenchImage[]> {
  const [small, canvas] = await makePhotoFixtures({ count: 2, seed: 42, kinds: ['paper_jpeg', 'large_canvas_jpeg'] });
  if (!small || !canvas) throw new Error('no fixtures');
  // Grow the page until its PNG is about 200 KB (grain makes PNG size grow with the area).
  let png = Buffer.alloc(0);
  for (let side = 320; side <= 1024; side += 32) {
    png = await sharp(canvas.bytes).rotate().resize({ width: side, height: side, fit: 'inside' }).png({ compressionLevel: 6 }).toBuffer();
    if (png.length >= 190 * 1024) break;
  }
  return [
    { name: 'small JPEG', bytes: Buffer.from(small.bytes), contentType: small.contentType, label: small.label },
    { name: '~200 KB PNG', bytes: png, contentType: 'image/png', label: canvas.label },
  ];
}

/** One multipart/form-data body with the image in field `file` (autocannon replays it as is). */
export function multipartBody(img: BenchImage): { body: Buffer; contentType: string } {
  const boundary = `----inkwell-bench-${img.bytes.length}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="digit"\r\nContent-Type: ${img.contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, img.bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
