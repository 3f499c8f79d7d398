import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes read at once: a window holds a few thousand small items, or their directory records. */
const WINDOW_BYTES = 1024 * 1024;

interface Window {
  start: number;
  end: number;
  readonly buf: Buffer;
}

/**
 * A file read through two windows of synchronous reads, for files read mostly front to back in
 * small pieces (a stored upload's entries, a job's item pack): nearly every read is then a copy
 * from memory, where an open, a read or a stream per piece cost more CPU than the piece's own work.
 * Two windows, because extracting a ZIP walks two regions in turn (its directory and its entries):
 * a miss refills the window not read from last, so the region in use keeps its own.
 */
export class FileWindow {
  private readonly windows: [Window, Window] = [
    { start: 0, end: 0, buf: Buffer.allocUnsafe(WINDOW_BYTES) },
    { start: 0, end: 0, buf: Buffer.allocUnsafe(WINDOW_BYTES) },
  ];
  private used: 0 | 1 = 0;
  private fd: number | null;
  readonly size: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /**
   * Bytes [start, start + length) of the file (fewer at its end): a view into a window when they
   * fit one, valid only until the next call (copy what must live longer), else a buffer of their own.
   */
  bytes(start: number, length: number): Buffer {
    const fd = this.fd;
    if (fd === null) throw new Error('the file window is closed');
    const end = Math.min(start + length, this.size);
    if (end <= start) return Buffer.alloc(0);
    for (const i of [0, 1] as const) {
      const w = this.windows[i];
      if (start < w.start || end > w.end) continue;
      this.used = i;
      return w.buf.subarray(start - w.start, end - w.start);
    }
    if (end - start > WINDOW_BYTES) return readFully(fd, Buffer.allocUnsafe(end - start), start);
    this.used = this.used === 0 ? 1 : 0;
    const w = this.windows[this.used];
    const got = readFully(fd, w.buf, start);
    w.start = start;
    w.end = start + got.length;
    return w.buf.subarray(0, Math.min(got.length, end - start));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function readFully(fd: number, buf: Buffer, position: number): Buffer {
  let at = 0;
  while (at < buf.length) {
    const n = readSync(fd, buf, at, buf.length - at, position + at);
    if (n === 0) break;
    at += n;
  }
  return buf.subarray(0, at);
}
