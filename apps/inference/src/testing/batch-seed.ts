import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Db } from '@inkwell/db';
import { digitAt, loadMnist } from '@inkwell/ml-data';
import { itemPath, itemsDir } from '../batch/batch-files';

/** One item of a seeded job: its bytes (stored as `in/<idx>`), or the code intake refused it with. */
export type SeedItem = { readonly name: string; readonly bytes: Uint8Array } | { readonly name: string; readonly refused: string };

/**
 * A batch job as intake leaves it (the row `queued`, items `pending` or refused, files under
 * `in/`), written straight to the tables, so the worker is tested without the HTTP API.
 */
export async function seedBatchJob(db: Db, dataDir: string, items: readonly SeedItem[]): Promise<string> {
  const id = randomUUID();
  const refused = items.filter((i) => 'refused' in i).length;
  await mkdir(itemsDir(dataDir, id), { recursive: true });
  await db('batch_jobs').insert({
    id,
    owner_id: '00000000-0000-4000-8000-0000000000b1',
    owner_kind: 'user',
    status: 'queued',
    total_images: items.length,
    processed: refused,
    failed: refused,
    source: 'zip',
    upload_bytes: 0,
    expires_at: new Date(Date.now() + 7 * 86_400_000),
  });
  for (let i = 0; i < items.length; i += 1000) {
    const rows = items.slice(i, i + 1000).map((it, k) => ({ job_id: id, idx: i + k, name: it.name, status: 'refused' in it ? 'error' : 'pending', error_code: 'refused' in it ? it.refused : null }));
    await db('batch_items').insert(rows);
  }
  for (const [idx, it] of items.entries()) if ('bytes' in it) await writeFile(itemPath(dataDir, id, idx), it.bytes);
  return id;
}

/** `n` MNIST test digits as small PNGs (dark ink on light paper, as a scan), with their labels. */
export async function mnistPngs(n: number, start = 0): Promise<{ bytes: Uint8Array; label: number }[]> {
  const set = loadMnist('test');
  const out: { bytes: Uint8Array; label: number }[] = [];
  for (let i = start; i < start + n; i++) {
    const px = Buffer.from(digitAt(set, i).map((v) => 255 - v));
    const png = await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
    out.push({ bytes: new Uint8Array(png), label: set.labels[i] ?? -1 });
  }
  return out;
}
