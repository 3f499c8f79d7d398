import { Router } from 'express';
import { FamilyNameParams } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { FamiliesService } from './families.service';

export function familiesRoutes(families: FamiliesService): Router {
  const r = Router();
  r.get('/api/families', requireRole('engineer'), async (_req, res) => {
    res.json(await families.list());
  });
  r.post('/api/families/:name/register', requireRole('admin'), async (req, res) => {
    res.json(await families.register(identityOf(res), parse(FamilyNameParams, req.params, 'path').name));
  });
  return r;
}
