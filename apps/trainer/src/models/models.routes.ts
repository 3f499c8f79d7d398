import { Router, type NextFunction, type Request, type Response } from 'express';
import { ModelIdParams, ModelListQuery } from '@inkwell/contracts';
import { requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { ModelsService } from './models.service';

/**
 * `GET /api/models[/{id}[/metrics|/confusion-matrix|/roc-curve]]`, viewer and up. A path segment
 * that is not a uuid falls through to later routes (`/api/models/train`, and other fixed paths
 * under `/api/models/` that other features add), whatever order they are mounted in.
 */
export function modelsRoutes(models: ModelsService): Router {
  const r = Router();
  r.get('/api/models', requireRole('viewer'), async (req, res) => {
    res.json(await models.list(parse(ModelListQuery, req.query, 'query')));
  });
  const byId = (answer: (id: string) => Promise<unknown>) => async (req: Request, res: Response, next: NextFunction) => {
    const params = ModelIdParams.safeParse(req.params);
    if (!params.success) {
      next('route');
      return;
    }
    res.json(await answer(params.data.id));
  };
  r.get('/api/models/:id', requireRole('viewer'), byId((id) => models.get(id)));
  r.get('/api/models/:id/metrics', requireRole('viewer'), byId((id) => models.metrics(id)));
  r.get('/api/models/:id/confusion-matrix', requireRole('viewer'), byId((id) => models.confusion(id)));
  r.get('/api/models/:id/roc-curve', requireRole('viewer'), byId((id) => models.roc(id)));
  return r;
}
