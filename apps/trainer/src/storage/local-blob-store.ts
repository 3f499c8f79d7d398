import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@inkwell/contracts';
import type { BlobRef, BlobStore } from './blob-store';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Blobs under `<root>/blobs/sha256/ab/cd/<hash>`: written to a temp file in the same folder tree
 * while hashed, then renamed into place, so a reader never sees half a blob and a crash leaves
 * only a temp file. Bytes already stored are not written twice (the temp file is dropped).
 */
export class LocalBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmp: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs', 'sha256');
    this.tmp = join(dataDir, 'blobs', 'tmp');
  }

  async put(body: Readable, options: { readonly maxBytes?: number } = {}): Promise<BlobRef> {
    await mkdir(this.tmp, { recursive: true });
    const temp = join(this.tmp, randomUUID());
    const hash = createHash('sha256');
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new AppError('too_large', `Upload exceeds ${max} bytes`, { max_bytes: max }));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(temp));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return this.commit(temp, hash.digest('hex'), size);
  }

  async putFile(path: string): Promise<BlobRef> {
    return this.put(createReadStream(path));
  }

  open(hash: string): Readable {
    return createReadStream(this.pathOf(hash));
  }

  async path(hash: string): Promise<string> {
    const p = this.pathOf(hash);
    if (!(await present(p))) throw new AppError('not_found', `Blob ${hash} is not stored`);
    return p;
  }

  exists(hash: string): Promise<boolean> {
    return present(this.pathOf(hash));
  }

  async delete(hash: string): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
  }

  private pathOf(hash: string): string {
    // The hash becomes a path: anything but 64 hex digits could climb out of the store.
    if (!HASH.test(hash)) throw new AppError('validation_failed', 'Not a SHA-256 blob address');
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  private async commit(temp: string, hash: string, size: number): Promise<BlobRef> {
    const final = this.pathOf(hash);
    if (await present(final)) {
      await rm(temp, { force: true });
    } else {
      await mkdir(join(final, '..'), { recursive: true });
      await rename(temp, final);
    }
    return { hash, size };
  }
}

async function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
