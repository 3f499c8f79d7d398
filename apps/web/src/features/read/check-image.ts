import type { ReadLimits } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { HEADER_BYTES, imageSize } from './image-size';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean => signature.every((b, i) => bytes[i] === b);

/** PNG or JPEG judged from the first bytes, as the server judges: the type a browser reports comes from the file name and can lie. */
export function sniffType(head: Uint8Array): 'image/png' | 'image/jpeg' | null {
  if (startsWith(head, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(head, JPEG_SIGNATURE)) return 'image/jpeg';
  return null;
}

const MB = 1024 * 1024;

/**
 * Megabytes to three significant digits, rounded the way `round` says: a file's size rounded up and
 * the limit rounded down never read as equal when the file is over the limit.
 */
export function megabytes(bytes: number, round: (x: number) => number): string {
  const mb = bytes / MB;
  if (mb <= 0) return '0';
  const decimals = Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(mb))));
  const scale = 10 ** decimals;
  return String(round(mb * scale) / scale);
}

export const limitText = (limits: ReadLimits): string => megabytes(limits.max_upload_bytes, Math.floor);

/**
 * What is wrong with `file` before sending it, in words, or null when the browser sees nothing
 * wrong. The same rules as the server's, in its order (libs/imaging image-limits.ts): type, bytes,
 * pixels, then each side. Without the limits (not loaded yet, or the call failed) only the type is
 * checked, and a header this cannot read is left to the server: it answers with its own error.
 */
export async function checkImage(file: File, limits: ReadLimits | undefined): Promise<string | null> {
  let head: Uint8Array;
  try {
    head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  } catch {
    return t('read.check.unreadable', { name: file.name });
  }
  const type = sniffType(head);
  if (!type) return t('read.check.notImage', { name: file.name || t('read.check.unnamed') });
  if (!limits) return null;
  if (file.size > limits.max_upload_bytes) {
    return t('read.check.tooLarge', { size: megabytes(file.size, Math.ceil), limit: limitText(limits) });
  }
  const size = imageSize(type, head);
  if (!size) return null;
  const { width, height } = size;
  // Both sides are tested, so EXIF orientation (which only swaps them) cannot change the outcome.
  if (width * height > limits.max_pixels) {
    return t('read.check.tooManyPixels', { width, height, megapixels: (limits.max_pixels / 1e6).toLocaleString() });
  }
  if (Math.max(width, height) > limits.max_side_px) return t('read.check.sideTooLong', { width, height, max: limits.max_side_px });
  if (limits.min_side_px !== undefined && Math.min(width, height) < limits.min_side_px) {
    return t('read.check.sideTooShort', { width, height, min: limits.min_side_px });
  }
  return null;
}
