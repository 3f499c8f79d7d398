import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '@inkwell/contracts';
import { LocalBlobStore } from './local-blob-store';

let dir: string;
let store: LocalBlobStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blobs-'));
  store = new LocalBlobStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under the store, temp files included. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('LocalBlobStore', () => {
  it('stores a stream under its SHA-256 and reads it back', async () => {
    const body = 'seven,0,0,255\n'.repeat(1000);
    const ref = await store.put(Readable.from([body.slice(0, 5000), body.slice(5000)]));
    expect(ref).toEqual({ hash: createHash('sha256').update(body).digest('hex'), size: body.length });
    const path = await store.path(ref.hash);
    expect(path).toBe(join(dir, 'blobs', 'sha256', ref.hash.slice(0, 2), ref.hash.slice(2, 4), ref.hash));
    expect(await readFile(path, 'utf8')).toBe(body);
    expect(await text(store.open(ref.hash))).toBe(body);
  });

  it('stores the same content once', async () => {
    const a = await store.put(Readable.from(['same bytes']));
    const b = await store.put(Readable.from(['same ', 'bytes']));
    expect(b).toEqual(a);
    expect(filesUnder(dir)).toEqual([await store.path(a.hash)]);
  });

  it('refuses past the size cap and keeps nothing', async () => {
    const err = await store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('too_large');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('deletes, and refuses addresses that are not a hash', async () => {
    const ref = await store.put(Readable.from(['gone soon']));
    await store.delete(ref.hash);
    expect(await store.exists(ref.hash)).toBe(false);
    expect(() => store.open('../../etc/passwd')).toThrow(/SHA-256/);
  });
});
