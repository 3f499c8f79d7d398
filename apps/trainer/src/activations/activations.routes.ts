import { Router } from 'express';
import { ActivationListQuery, ModelIdParams, PromoteRequest, RollbackRequest } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { ActivationsService } from './activations.service';

/**
 * Promote, roll back, the activation history and soft delete (public, through the gateway), and
 * the internal active-set read that inference replicas make at start and after a lost subscription
 * (every caller the gateway's secret signed: the set served is no secret, `/v1/models/active` shows it).
 */
export function activationsRoutes(activations: ActivationsService): Router {
  const r = Router();
  r.get('/api/models/activations', requireRole('engineer'), async (req, res) => {
    res.json(await activations.list(parse(ActivationListQuery, req.query, 'query')));
  });
  r.post('/api/models/rollback', requireRole('admin'), async (req, res) => {
    res.json(await activations.rollback(identityOf(res), parse(RollbackRequest, req.body ?? {})));
  });
  r.post('/api/models/:id/promote', requireRole('admin'), async (req, res) => {
    const { id } = parse(ModelIdParams, req.params, 'path');
    res.json(await activations.promote(identityOf(res), id, parse(PromoteRequest, req.body ?? {})));
  });
  r.delete('/api/models/:id', requireRole('admin'), async (req, res) => {
    res.json(await activations.remove(identityOf(res), parse(ModelIdParams, req.params, 'path').id));
  });
  r.get('/internal/models/active-set', async (_req, res) => {
    res.json(await activations.activeSet());
  });
  return r;
}
