import { Router } from 'express';
import { TrainingHistoryQuery } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { historyCsv } from './training-history.csv';
import type { TrainingHistoryService } from './training-history.service';

export function trainingHistoryRoutes(history: TrainingHistoryService, now: () => Date = () => new Date()): Router {
  const r = Router();
  r.get('/api/training-history', requireRole('engineer'), async (req, res) => {
    const q = parse(TrainingHistoryQuery, req.query, 'query');
    const body = await history.list(identityOf(res), q.family);
    if (q.format === 'json') {
      res.json(body);
      return;
    }
    const day = now().toISOString().slice(0, 10);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`training-history-${q.family ?? 'all'}-${day}.csv`)
      .send(historyCsv(body.items));
  });
  return r;
}
