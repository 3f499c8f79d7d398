import { z } from 'zod';
import { DetectedDataset, SplitMethod } from '@inkwell/datasets';

/** One uploaded file as stored: its blob and the client's name (used only in messages). */
export const StoredFile = z.object({ name: z.string(), hash: z.string(), size_bytes: z.number().int().nonnegative() });
export type StoredFile = z.infer<typeof StoredFile>;

/**
 * The `files` column: the blobs, what detection made of them with blob hashes where the readers
 * take paths (so any store, not only the local one, can hand the job its files), and the split
 * the uploader asked for, which the validation job draws.
 */
export const DatasetFiles = z.object({ items: z.array(StoredFile), layout: DetectedDataset.nullable(), split_spec: SplitMethod });
export type DatasetFiles = z.infer<typeof DatasetFiles>;

/** Replaces every path of a detected layout (images, labels, path) through `map`. */
export function mapLayout(layout: DetectedDataset, map: (p: string) => string): DetectedDataset {
  switch (layout.format) {
    case 'idx':
    case 'npy':
      return { ...layout, images: map(layout.images), labels: map(layout.labels) };
    case 'csv':
    case 'zip':
      return { ...layout, path: map(layout.path) };
  }
}

/** The same with an async map (a blob's local path). */
export async function resolveLayout(layout: DetectedDataset, pathOf: (hash: string) => Promise<string>): Promise<DetectedDataset> {
  const hashes = layout.format === 'idx' || layout.format === 'npy' ? [layout.images, layout.labels] : [layout.path];
  const paths = new Map(await Promise.all(hashes.map(async (h) => [h, await pathOf(h)] as const)));
  return mapLayout(layout, (h) => paths.get(h) ?? h);
}
