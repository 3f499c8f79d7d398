import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The gateway's /metrics: Prometheus presents the configured scrape token; anyone else must pass
 * the usual admin checks (`otherwise`, run in order).
 */
export function metricsAccess(token: string | undefined, otherwise: readonly RequestHandler[]): RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return (req, res, next) => {
    const presented = req.header('authorization');
    if (expected && presented && timingSafeEqual(digest(presented), expected)) return next();
    let i = 0;
    const run = (err?: unknown): void => {
      if (err !== undefined) return next(err);
      const handler = otherwise[i++];
      if (!handler) return next();
      Promise.resolve(handler(req, res, run)).catch(next);
    };
    run();
  };
}
