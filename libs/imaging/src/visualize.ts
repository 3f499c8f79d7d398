import sharp from 'sharp';

/**
 * The model's view of a digit as a PNG: 28x28 intensities (0..1) upscaled with nearest-neighbour
 * (so the pixels the model saw stay visible) to `side` px, white ink on black like MNIST.
 * About 1-2 KB, well inside seed 004's 16 KB visualisation budget.
 */
export async function renderPreview(pixels: Float32Array, side = 112): Promise<Uint8Array> {
  const size = Math.round(Math.sqrt(pixels.length));
  if (size * size !== pixels.length) throw new Error(`renderPreview: ${pixels.length} pixels is not a square image`);
  const bytes = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i++) bytes[i] = Math.round(Math.max(0, Math.min(1, pixels[i] ?? 0)) * 255);
  const png = await sharp(bytes, { raw: { width: size, height: size, channels: 1 } })
    .resize(side, side, { kernel: 'nearest' })
    .toColourspace('b-w') // a 1-channel PNG; sharp otherwise writes 3 identical channels
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
