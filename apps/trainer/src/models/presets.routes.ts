import { Router } from 'express';
import { requireRole } from '@inkwell/auth-guard';
import type { PresetsService } from './presets.service';

/** `GET /api/models/presets` (viewer and up). A fixed path: the registry's `/api/models/{id}` takes uuids only. */
export function presetsRoutes(presets: PresetsService): Router {
  const r = Router();
  r.get('/api/models/presets', requireRole('viewer'), async (_req, res) => {
    res.json(await presets.list());
  });
  return r;
}
