import type { Response } from 'express';

/**
 * For answers that carry a token or a temporary password: no browser, proxy or CDN may keep a copy
 * (Pragma for HTTP/1.0 caches). Set before the work, so an error answer is not cached either.
 */
export function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
}
