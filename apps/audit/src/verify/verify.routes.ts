import { Router } from 'express';
import { requireRole } from '@inkwell/auth-guard';
import { AuditVerifyQuery } from '@inkwell/contracts';
import { parse } from '@inkwell/http';
import type { VerifyService } from './verify.service';

export function verifyRoutes(verify: VerifyService): Router {
  const r = Router();
  r.get('/api/admin/audit-logs/verify', requireRole('admin'), async (req, res) => {
    res.json(await verify.verify(parse(AuditVerifyQuery, req.query, 'query')));
  });
  return r;
}
