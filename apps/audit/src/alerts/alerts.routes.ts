import { Router } from 'express';
import { requireRole } from '@inkwell/auth-guard';
import type { AlertEvaluator } from './alert-evaluator';

/** `GET /api/admin/alerts`: firing and recently resolved alerts, as of the last evaluation. */
export function alertsRoutes(evaluator: AlertEvaluator): Router {
  const r = Router();
  r.get('/api/admin/alerts', requireRole('admin'), (_req, res) => {
    res.set('Cache-Control', 'no-store').json(evaluator.snapshot());
  });
  return r;
}
