import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Exact-size reads over a byte stream: `read(n)` gives the next n bytes, fewer only at the end.
 * Holds at most one chunk of the stream plus the bytes asked for, so files of any size stream
 * through in bounded memory.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<unknown>;
  private chunk: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private ended = false;
  /** Bytes handed out so far. */
  position = 0;

  constructor(private readonly stream: Readable) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** Reads into `out` (all of it unless the stream ends); returns how many bytes were read. */
  async readInto(out: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < out.length) {
      if (this.offset >= this.chunk.length) {
        if (this.ended) break;
        const next = await this.iterator.next();
        if (next.done === true) {
          this.ended = true;
          break;
        }
        this.chunk = next.value as Uint8Array;
        this.offset = 0;
        continue;
      }
      const take = Math.min(out.length - filled, this.chunk.length - this.offset);
      out.set(this.chunk.subarray(this.offset, this.offset + take), filled);
      this.offset += take;
      filled += take;
    }
    this.position += filled;
    return filled;
  }

  /** Skips n bytes (a header already parsed); false when the stream ends first. */
  async skip(n: number): Promise<boolean> {
    return (await this.readInto(new Uint8Array(n))) === n;
  }

  close(): void {
    this.stream.destroy();
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** A stream of the file's bytes, gunzipped when the file is gzip (as MNIST's downloads are). */
export async function openMaybeGzip(path: string): Promise<{ stream: Readable; gzipped: boolean }> {
  const head = await readFileHead(path, 2);
  const gzipped = GZIP_MAGIC.every((b, i) => head[i] === b);
  const raw = createReadStream(path);
  if (!gzipped) return { stream: raw, gzipped };
  const gunzip = createGunzip();
  // A read error on the file must surface from the gunzip side, which is what callers consume.
  raw.on('error', (err) => gunzip.destroy(err));
  return { stream: raw.pipe(gunzip), gzipped };
}

/** The first n bytes of a file (fewer if it is shorter). */
export async function readFileHead(path: string, n: number): Promise<Uint8Array> {
  const reader = new ByteReader(createReadStream(path, { start: 0, end: Math.max(0, n - 1) }));
  const out = new Uint8Array(n);
  try {
    return out.subarray(0, await reader.readInto(out));
  } finally {
    reader.close();
  }
}

/** The first n bytes after gunzipping when the file is gzip; a broken gzip header gives what could be read. */
export async function readContentHead(path: string, n: number): Promise<{ head: Uint8Array; gzipped: boolean }> {
  const { stream, gzipped } = await openMaybeGzip(path);
  const reader = new ByteReader(stream);
  const out = new Uint8Array(n);
  try {
    return { head: out.subarray(0, await reader.readInto(out)), gzipped };
  } catch {
    return { head: new Uint8Array(0), gzipped };
  } finally {
    reader.close();
  }
}
