import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { isAppError } from '@inkwell/contracts';
import { extractZip } from './batch-zip-intake';
import { PackReader } from './item-pack';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'inkwell-pack-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const LIMITS = { maxImages: 10_000, maxUploadBytes: 64 << 20, maxUncompressedBytes: 64 << 20, maxRatio: 100, maxImageBytes: 2 << 20 };

/** A ZIP on disk whose entries alternate stored and deflated, as archivers mix them. */
async function zipOnDisk(entries: readonly { name: string; data: Buffer; compress: boolean }[]): Promise<{ path: string; bytes: number }> {
  const zip = new ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: e.compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const buf = Buffer.concat(chunks);
  const path = join(tempDir(), 'upload.zip');
  writeFileSync(path, buf);
  return { path, bytes: buf.length };
}

describe('a ZIP extracted into the item pack', () => {
  it('gives every entry back byte for byte, in order, stored or deflated, across many windows; a refused entry is empty', async () => {
    // ~3 MB of small entries (three windows' worth), one entry larger than a window, one over the image limit.
    const entries = Array.from({ length: 3000 }, (_, i) => ({ name: `d/${i}.jpg`, data: randomBytes(500 + (i % 900)), compress: i % 3 === 0 }));
    entries.splice(1500, 0, { name: 'big.png', data: randomBytes(1_500_000), compress: false });
    entries.splice(2000, 0, { name: 'huge.png', data: Buffer.alloc(LIMITS.maxImageBytes + 1), compress: true });
    const zip = await zipOnDisk(entries);
    const inDir = tempDir();
    const items = await extractZip(zip.path, zip.bytes, inDir, LIMITS);
    expect(items.map((i) => i.name)).toEqual(entries.map((e) => e.name));
    expect(items.filter((i) => i.error !== null)).toEqual([{ idx: 2000, name: 'huge.png', error: 'too_large' }]);
    const pack = PackReader.open(inDir);
    if (!pack) throw new Error('no pack written');
    try {
      const read = entries.map((_, idx) => pack.read(idx, LIMITS.maxImageBytes));
      // Each read is a copy of its own: reading on does not change one read earlier.
      expect(read.map((r, idx) => (idx === 2000 ? r.length === 0 : Buffer.from(r).equals(entries[idx]?.data ?? Buffer.alloc(0))))).toEqual(entries.map(() => true));
    } finally {
      pack.close();
    }
  });

  it('refuses an item over the limit from its size, as the single upload does; a folder without a pack has none', async () => {
    const zip = await zipOnDisk([{ name: 'a.png', data: randomBytes(2000), compress: false }]);
    const inDir = tempDir();
    await extractZip(zip.path, zip.bytes, inDir, LIMITS);
    const pack = PackReader.open(inDir);
    if (!pack) throw new Error('no pack written');
    try {
      let err: unknown = null;
      try {
        pack.read(0, 1999);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err) ? err.code : err).toBe('too_large');
      expect(() => pack.read(1, 5000)).toThrow(/not in the pack/);
    } finally {
      pack.close();
    }
    expect(PackReader.open(tempDir())).toBeNull();
  });
});

/** Rewrites the first entry's method and declared uncompressed size in its local and central headers (yauzl reads no CRC here). */
function relabel(zip: Buffer, method: number, uncompressed: number): void {
  const local = zip.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  if (local < 0 || central < 0) throw new Error('not a ZIP');
  zip.writeUInt16LE(method, local + 8);
  zip.writeUInt32LE(uncompressed, local + 22);
  zip.writeUInt16LE(method, central + 10);
  zip.writeUInt32LE(uncompressed, central + 24);
}

describe('an entry whose compressed range is far larger than what it declares', () => {
  it('is refused from the directory as invalid_archive, before anything is read, though its deflate stream would end early', async () => {
    // A valid deflate stream of 1000 bytes, then 400 KB the inflater would never need: stored by
    // yazl, then relabelled deflated with 1000 bytes declared.
    const data = Buffer.concat([deflateRawSync(Buffer.alloc(1000)), randomBytes(400_000)]);
    const zip = await zipOnDisk([{ name: 'a.png', data, compress: false }]);
    const buf = readFileSync(zip.path);
    relabel(buf, 8, 1000);
    writeFileSync(zip.path, buf);
    let err: unknown = null;
    const inDir = tempDir();
    try {
      await extractZip(zip.path, zip.bytes, inDir, LIMITS);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) ? { code: err.code, details: err.details } : err).toEqual({
      code: 'invalid_archive',
      details: { entry: 'a.png', compressed_bytes: data.length, uncompressed_bytes: 1000 },
    });
    expect(PackReader.open(inDir)).toBeNull();
  });

  it('allows deflate its worst case: random bytes deflated, and a stored entry exactly its size', async () => {
    const entries = [
      { name: 'r.bin', data: randomBytes(300_000), compress: true },
      { name: 's.bin', data: randomBytes(1000), compress: false },
      { name: 'e.bin', data: Buffer.alloc(0), compress: true },
    ];
    const zip = await zipOnDisk(entries);
    const items = await extractZip(zip.path, zip.bytes, tempDir(), LIMITS);
    expect(items.map((i) => i.error)).toEqual([null, null, null]);
  });
});
