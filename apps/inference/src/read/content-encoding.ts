import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@inkwell/contracts';

/**
 * The refusal for a compressed upload, or null. Form parsers read a compressed body as plain
 * bytes and fail on its framing (or, worse, do not), so every upload route refuses one first:
 * the single read and the batch answer alike.
 */
export function encodedUploadRefusal(headers: IncomingHttpHeaders): AppError | null {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return null;
  return new AppError('unsupported_media_type', `Content-Encoding "${encoding}" is not accepted on uploads; send the form uncompressed`);
}
