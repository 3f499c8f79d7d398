import { Readable } from 'node:stream';
import sharp from 'sharp';
import { ZipFile } from 'yazl';
import { digitAt, loadMnist } from '@inkwell/ml-data';

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  /** Unix mode, e.g. 0o120777 for a symbolic link. A name ending in `/` is a folder entry. */
  readonly mode?: number;
}

/** `n` MNIST test digits (from `start`) as PNGs, dark ink on white as a scan would be. */
export async function digitPngs(n: number, start = 0): Promise<Buffer[]> {
  const set = loadMnist('test');
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const px = Buffer.from(digitAt(set, (start + i) % set.count)).map((v) => 255 - v);
    out.push(await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
  }
  return out;
}

/** A file that says it is a PNG and is not one: a single upload of it answers `invalid_image`. */
export const brokenPng = (): Buffer => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a png')]);

/** A ZIP of the entries, built in memory with yazl: deflated, or stored (`compress: false`: much faster for tens of thousands of entries). */
export function zipOf(entries: readonly ZipEntry[], options: { readonly compress?: boolean } = {}): Promise<Buffer> {
  const zip = new ZipFile();
  const compress = options.compress ?? true;
  for (const e of entries) {
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name.slice(0, -1));
    else zip.addBuffer(e.data, e.name, e.mode === undefined ? { compress } : { compress, mode: e.mode });
  }
  zip.end();
  return collect(zip.outputStream);
}

/** A ZIP holding one entry of `bytes` zero bytes: a bomb of about bytes/1000 on disk. */
export function bombZip(bytes: number, name = 'bomb.png'): Promise<Buffer> {
  const zip = new ZipFile();
  const chunk = Buffer.alloc(1024 * 1024);
  let left = bytes;
  const zeros = new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
  zip.addReadStream(zeros, name, { size: bytes, compressionLevel: 9 });
  zip.end();
  return collect(zip.outputStream);
}

/**
 * Renames an entry in a built ZIP by patching its bytes (local header and central directory): how
 * a zip-slip name like `../x.png` gets in, since yazl itself refuses to write one. Same length only.
 */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('renameEntry keeps the length');
  const out = Buffer.from(zip);
  const a = Buffer.from(from);
  let found = 0;
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + a.length)) {
    out.write(to, at, 'utf8');
    found++;
  }
  if (found < 2) throw new Error(`entry ${from} not found in both headers`);
  return out;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Makes an entry of a built ZIP declare `size` uncompressed bytes in the central directory (where
 * readers take sizes from) whatever it really inflates to: the header lie a bomb hides behind.
 */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const want = Buffer.from(name);
  for (let at = out.indexOf(CENTRAL_HEADER); at >= 0; at = out.indexOf(CENTRAL_HEADER, at + 4)) {
    const len = out.readUInt16LE(at + 28);
    if (len === want.length && out.subarray(at + 46, at + 46 + len).equals(want)) {
      out.writeUInt32LE(size, at + 24);
      return out;
    }
  }
  throw new Error(`entry ${name} not found in the central directory`);
}

const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
