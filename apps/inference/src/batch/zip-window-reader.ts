import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FileWindow } from './file-window';

/** A deflated entry's bytes go to yauzl in copies this large, however long the entry's range. */
const SLICE_BYTES = 64 * 1024;

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
    // Deflated entries only (stored ones are sliced). Slices, each a copy (the window moves on), read
    // as the inflater asks for them: one read of a whole range would allocate (and block the loop
    // for) whatever size a header declares. Intake refuses ranges far larger than their output first.
    const file = this.file;
    function* slices(): Generator<Buffer> {
      for (let at = start; at < end; ) {
        const slice = file.bytes(at, Math.min(SLICE_BYTES, end - at));
        if (slice.length === 0) return;
        at += slice.length;
        yield Buffer.from(slice);
      }
    }
    return Readable.from(slices(), { objectMode: false });
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
