import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NormalizedWriter } from './normalized-writer';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('NormalizedWriter', () => {
  it('fails the write, not the process, when its files cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nw-'));
    dirs.push(dir);
    const writer = new NormalizedWriter({ images: join(dir, 'missing', 'images.idx'), labels: join(dir, 'missing', 'labels.idx') });
    const pixels = new Uint8Array(784);
    // The open fails asynchronously: the error reaches the next write or the close, as a rejection.
    const outcome = (async () => {
      for (let i = 0; i < 1000; i++) await writer.write(1, pixels);
      await writer.close();
    })();
    await expect(outcome).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
