import type { BatchApiConfig } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';

export type FileKind = 'zip' | 'png' | 'jpeg' | 'other';

/**
 * What a file is, by its first bytes rather than its name: a renamed text file must be caught here,
 * before minutes of upload, not by the server afterwards.
 */
export function kindOf(head: Uint8Array): FileKind {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);
  // A ZIP opens with a local file header, or (no entries at all) the end-of-directory record.
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  return 'other';
}

/** A checked selection: one ZIP (sent as `archive`) or images (sent as `files`). */
export type Selection = { readonly kind: 'zip'; readonly file: File } | { readonly kind: 'images'; readonly files: readonly File[] };

export type Checked = { readonly ok: true; readonly selection: Selection } | { readonly ok: false; readonly message: string };

export type Limits = BatchApiConfig['batch'];

/** 1.2 MB, 340 KB, 12 B: decimal units, as file managers show them. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB'] as const;
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u] ?? 'GB'}`;
}

const totalBytes = (files: readonly File[]): number => files.reduce((sum, f) => sum + f.size, 0);

/**
 * Checks what the user picked before anything is sent: every file a ZIP, PNG or JPEG by its bytes;
 * one ZIP alone or images alone (the API takes one or the other); and, when the limits are known
 * (admins can read them), the total size and the image count. The server checks again regardless.
 */
export async function checkSelection(files: readonly File[], limits: Limits | null): Promise<Checked> {
  const kinds: FileKind[] = [];
  for (const file of files) {
    if (file.size === 0) return { ok: false, message: t('batch.submit.empty', { name: file.name }) };
    const kind = kindOf(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
    if (kind === 'other') return { ok: false, message: t('batch.submit.notImage', { name: file.name }) };
    kinds.push(kind);
  }
  const zips = kinds.filter((k) => k === 'zip').length;
  if (zips > 0 && zips < files.length) return { ok: false, message: t('batch.submit.mixed') };
  if (zips > 1) return { ok: false, message: t('batch.submit.oneZip') };
  const size = totalBytes(files);
  if (limits && size > limits.max_upload_bytes) return { ok: false, message: t('batch.submit.tooBig', { size: formatBytes(size), limit: formatBytes(limits.max_upload_bytes) }) };
  const first = files[0];
  if (zips === 1 && first) return { ok: true, selection: { kind: 'zip', file: first } };
  if (limits && files.length > limits.max_images) return { ok: false, message: t('batch.submit.tooMany', { n: files.length, limit: limits.max_images }) };
  return { ok: true, selection: { kind: 'images', files } };
}

/** The words for a checked selection: what will be sent. */
export function describeSelection(s: Selection): string {
  if (s.kind === 'zip') return t('batch.submit.selectedZip', { name: s.file.name, size: formatBytes(s.file.size) });
  const only = s.files.length === 1 ? s.files[0] : undefined;
  if (only) return t('batch.submit.selectedImage', { name: only.name, size: formatBytes(only.size) });
  return t('batch.submit.selectedImages', { n: s.files.length, size: formatBytes(totalBytes(s.files)) });
}
