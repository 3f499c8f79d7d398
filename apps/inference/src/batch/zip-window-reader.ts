import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FileWindow } from './file-window';

/**
 * A stored upload read for yauzl through a FileWindow. yauzl's own reader asks the thread pool for
 * every directory record, every local header and every entry (four async reads per entry, each with
 * its callbacks or streams): ~0.4 ms of CPU per entry, 21 s for the 50,000 digit JPEGs of
 * bench/batch before the job could start. Here nearly every read is a copy from memory.
 */
export class ZipWindowReader extends yauzl.RandomAccessReader {
  private readonly file: FileWindow;

  constructor(path: string) {
    super();
    this.file = new FileWindow(path);
  }

  get size(): number {
    return this.file.size;
  }

  /** See FileWindow.bytes: a view valid until the next read. */
  bytes(start: number, length: number): Buffer {
    return this.file.bytes(start, length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // yauzl passes the count on to its EOF check: the published type leaves the second argument out.
    const done = callback as (err: Error | null, bytesRead?: number) => void;
    let n = 0;
    let error: Error | null = null;
    try {
      n = this.file.bytes(position, length).copy(buffer, offset);
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    // yauzl expects its callbacks later, never inside the call.
    process.nextTick(() => done(error, n));
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // Deflated entries only (stored ones are sliced): a copy, since the window moves on.
    return Readable.from([Buffer.from(this.file.bytes(start, end - start))], { objectMode: false });
  }

  override close(callback: (err: Error | null) => void): void {
    let error: Error | null = null;
    try {
      this.file.close();
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    process.nextTick(() => callback(error));
  }
}
