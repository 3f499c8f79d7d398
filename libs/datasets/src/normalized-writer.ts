import { createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { encodeIdxHeader } from '@inkwell/ml-data';
import { IMAGE_BYTES, IMAGE_SIDE } from './digit-record';

/**
 * Digits gathered before one write to each file: a write per digit (784 bytes, 70,000 of them for
 * MNIST) cost more CPU in the stream machinery than the whole validation besides.
 */
const BATCH_DIGITS = 512;

/** Where validation writes the accepted digits, whatever the upload's format. */
export interface NormalizedPaths {
  readonly images: string;
  readonly labels: string;
}

/**
 * Writes accepted digits as a raw IDX pair (the one layout training reads), streaming, with the
 * count patched into both headers at the end. ZIP images are preprocessed once here, not per
 * training run.
 */
export class NormalizedWriter {
  private readonly images: WriteStream;
  private readonly labels: WriteStream;
  private count = 0;
  private readonly imageBatch = new Uint8Array(BATCH_DIGITS * IMAGE_BYTES);
  private readonly labelBatch = new Uint8Array(BATCH_DIGITS);
  /** Bytes of `imageBatch` and digits of `labelBatch` not yet written. */
  private imageBytes = 0;
  private batched = 0;
  /** A stream's error (full disk, missing folder): kept, so it fails the validation that writes, not the process. */
  private failure: Error | undefined;

  constructor(private readonly paths: NormalizedPaths) {
    this.images = createWriteStream(paths.images);
    this.labels = createWriteStream(paths.labels);
    const keep = (err: Error) => void (this.failure ??= err);
    this.images.on('error', keep);
    this.labels.on('error', keep);
    this.images.write(encodeIdxHeader([0, IMAGE_SIDE, IMAGE_SIDE]));
    this.labels.write(encodeIdxHeader([0]));
  }

  /** Resolves when the streams can take more (backpressure keeps memory bounded). */
  async write(label: number, pixels: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.count++;
    if (this.imageBytes + pixels.length > this.imageBatch.length) await this.flush();
    if (pixels.length > this.imageBatch.length) {
      await this.flush();
      await this.writeBoth(Uint8Array.from(pixels), Uint8Array.of(label));
      return;
    }
    this.imageBatch.set(pixels, this.imageBytes);
    this.imageBytes += pixels.length;
    this.labelBatch[this.batched++] = label;
    if (this.batched === BATCH_DIGITS) await this.flush();
  }

  /** Writes the gathered digits (copies: the batch buffers are reused). */
  private async flush(): Promise<void> {
    if (this.batched === 0) return;
    const images = this.imageBatch.slice(0, this.imageBytes);
    const labels = this.labelBatch.slice(0, this.batched);
    this.imageBytes = 0;
    this.batched = 0;
    await this.writeBoth(images, labels);
  }

  private async writeBoth(images: Uint8Array, labels: Uint8Array): Promise<void> {
    const okImages = this.images.write(images);
    const okLabels = this.labels.write(labels);
    if (!okImages) await once(this.images, 'drain');
    if (!okLabels) await once(this.labels, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    await this.flush();
    await Promise.all([endStream(this.images), endStream(this.labels)]);
    if (this.failure) throw this.failure;
    await patchCount(this.paths.images, this.count);
    await patchCount(this.paths.labels, this.count);
  }

  /** Stops writing (on an error); the partial files are the caller's to remove. */
  destroy(): void {
    this.images.destroy();
    this.labels.destroy();
  }
}

async function endStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** The first dimension sits right after the 4-byte magic, big-endian. */
async function patchCount(path: string, count: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setUint32(0, count);
    await fh.write(buf, 0, 4, 4);
  } finally {
    await fh.close();
  }
}
