// Raw interleaved samples -> 8-bit gray. Pure (no sharp, no node): the server runs it on sharp's
// raw output and the web app on a canvas's RGBA pixels, so both get the same gray bytes.

/**
 * Interleaved 8-bit samples (gray, gray+alpha, RGB or RGBA) -> gray, alpha composited onto white.
 * Luma uses BT.601 weights (as PIL's "L" conversion, which MNIST-era tooling used), so blue ink
 * stays dark: (30, 50, 160) -> 57.
 */
export function toGray(data: Uint8Array, pixels: number, channels: number): Uint8Array {
  if (channels === 1) return data;
  const out = new Uint8Array(pixels);
  if (channels === 2) {
    for (let i = 0, j = 0; i < pixels; i++, j += 2) {
      const a = data[j + 1] ?? 255;
      out[i] = ((data[j] ?? 0) * a + 255 * (255 - a) + 127) / 255;
    }
  } else if (channels === 3) {
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      out[i] = (299 * (data[j] ?? 0) + 587 * (data[j + 1] ?? 0) + 114 * (data[j + 2] ?? 0) + 500) / 1000;
    }
  } else if (channels === 4) {
    for (let i = 0, j = 0; i < pixels; i++, j += 4) {
      const luma = (299 * (data[j] ?? 0) + 587 * (data[j + 1] ?? 0) + 114 * (data[j + 2] ?? 0)) / 1000;
      const a = data[j + 3] ?? 255;
      out[i] = (luma * a + 255 * (255 - a) + 127) / 255;
    }
  } else {
    throw new Error(`unexpected channel count ${channels}`);
  }
  return out;
}

/** CMYK (0 = no ink) -> gray via the naive RGB = (1 - C)(1 - K) per channel, then BT.601 luma. */
export function cmykToGray(data: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    const k = 255 - (data[j + 3] ?? 0);
    const luma = 299 * (255 - (data[j] ?? 0)) + 587 * (255 - (data[j + 1] ?? 0)) + 114 * (255 - (data[j + 2] ?? 0));
    out[i] = (luma * k) / 255000 + 0.5;
  }
  return out;
}
