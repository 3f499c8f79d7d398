import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@inkwell/contracts';
import { FileWindow } from './file-window';

/**
 * A ZIP job's items, one after another in `in/items.pack`, with `in/items.index` holding where each
 * starts (n + 1 float64 offsets: item i is [offset i, offset i+1), empty for an item refused at
 * intake). One file for the whole upload instead of one per image: creating, opening and later
 * deleting 50,000 small files cost seconds of kernel time on a busy disk (bench/batch: 5 to 30 s to
 * create them, as long again to delete them), and a chunk's items are now one read. The names
 * cannot meet an item file's (six digits), so a job folder may hold either layout: files uploads
 * keep `in/<idx>`.
 */
export const PACK_FILE = 'items.pack';
export const PACK_INDEX_FILE = 'items.index';

/** Bytes gathered before one write: a few thousand small images. */
const BUFFER_BYTES = 1024 * 1024;

/** Writes a pack in item order; `finish` writes the index, after which the pack is complete. */
export class PackWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  private written = 0;
  private offsets: number[] = [0];
  private closed = false;

  constructor(private readonly inDir: string) {
    this.fd = openSync(join(inDir, PACK_FILE), 'wx');
  }

  /** The next item's bytes (copied at once: a view the caller reuses is fine). */
  add(data: Uint8Array): void {
    if (data.length > BUFFER_BYTES - this.buffered) this.flush();
    if (data.length > BUFFER_BYTES) this.writeAll(data);
    else {
      this.buffer.set(data, this.buffered);
      this.buffered += data.length;
    }
    this.offsets.push((this.offsets[this.offsets.length - 1] ?? 0) + data.length);
  }

  /** The next item has no bytes (refused at intake). */
  skip(): void {
    this.offsets.push(this.offsets[this.offsets.length - 1] ?? 0);
  }

  finish(): void {
    this.flush();
    this.close();
    writeFileSync(join(this.inDir, PACK_INDEX_FILE), new Uint8Array(Float64Array.from(this.offsets).buffer), { flag: 'wx' });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffered === 0) return;
    this.writeAll(this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }

  private writeAll(data: Uint8Array): void {
    for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at, data.length - at, this.written + at);
    this.written += data.length;
  }
}

/** Reads items from a job's pack; `open` is null for a job stored as one file per item. */
export class PackReader {
  private constructor(
    private readonly file: FileWindow,
    private readonly offsets: Float64Array,
  ) {}

  static open(inDir: string): PackReader | null {
    let index: Buffer;
    try {
      index = readFileSync(join(inDir, PACK_INDEX_FILE));
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
      throw err;
    }
    if (index.length % 8 !== 0) throw new Error(`${PACK_INDEX_FILE} is ${index.length} bytes, not a whole number of offsets`);
    // Copied: the file's buffer need not be aligned for a Float64Array.
    const offsets = new Float64Array(index.length / 8);
    new Uint8Array(offsets.buffer).set(index);
    return new PackReader(new FileWindow(join(inDir, PACK_FILE)), offsets);
  }

  /**
   * Item `idx`'s bytes, a copy of its own (the reader keeps it while later items are read). One
   * over `maxBytes` is refused from its size, as the single upload's form parser refuses it.
   */
  read(idx: number, maxBytes: number): Uint8Array {
    const start = this.offsets[idx];
    const end = this.offsets[idx + 1];
    if (start === undefined || end === undefined || end < start) throw new Error(`item ${idx} is not in the pack`);
    if (end - start > maxBytes) throw new AppError('too_large', `File exceeds ${maxBytes} bytes limit.`);
    const view = this.file.bytes(start, end - start);
    if (view.length !== end - start) throw new Error(`the pack ends inside item ${idx}`);
    return new Uint8Array(view);
  }

  close(): void {
    this.file.close();
  }
}
