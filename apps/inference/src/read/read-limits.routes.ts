import { Router } from 'express';
import { READ_IMAGE_TYPES, type ReadLimits } from '@inkwell/contracts';
import type { ImageLimits } from '@inkwell/imaging';

/** The limits a reader applies, as `GET /v1/limits` tells clients. */
export const describeReadLimits = (limits: ImageLimits): ReadLimits => ({
  max_upload_bytes: limits.maxBytes,
  max_pixels: limits.maxPixels,
  max_side_px: limits.maxSidePx,
  min_side_px: limits.minSidePx,
  accepted_types: [...READ_IMAGE_TYPES],
});

/**
 * `GET /v1/limits`: the very limits object the reader checks uploads against, so a browser that
 * refuses a file before sending it uses the server's numbers, never a copy that can drift.
 */
export function readLimitsRoutes(limits: ImageLimits): Router {
  const r = Router();
  const body = describeReadLimits(limits);
  r.get('/v1/limits', (_req, res) => {
    // They change only with a restart under new configuration; a few minutes' staleness is harmless
    // because the server still enforces its own limits on every upload.
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(body);
  });
  return r;
}
