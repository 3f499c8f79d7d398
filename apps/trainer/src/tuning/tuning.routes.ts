import { Router } from 'express';
import { FINISHED_TUNING_STATUSES, TuneVersionParams, TuneVersionRequest, TuningIdParams, TuningRequest, TuningTrialsQuery } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { isStreamId, STREAM_START } from '../events/event-stream';
import { sendEventStream } from '../events/sse-stream';
import type { TuningEvents } from './tuning-events';
import type { TuningService } from './tuning.service';

export interface TuningRoutesDeps {
  readonly events: TuningEvents;
  readonly redisUrl: string;
}

export function tuningRoutes(tuning: TuningService, deps: TuningRoutesDeps): Router {
  const r = Router();
  r.use(['/api/tuning', '/api/models/:id/tune'], requireRole('engineer'));
  r.post('/api/tuning', async (req, res) => {
    res.status(202).json(await tuning.create(identityOf(res), parse(TuningRequest, req.body)));
  });
  r.post('/api/models/:id/tune', async (req, res) => {
    res.status(202).json(await tuning.tuneVersion(identityOf(res), parse(TuneVersionParams, req.params, 'path').id, parse(TuneVersionRequest, req.body)));
  });
  r.get('/api/tuning', async (_req, res) => {
    res.json(await tuning.list(identityOf(res)));
  });
  // Before /api/tuning/:id, which would take "spaces" for an id.
  r.get('/api/tuning/spaces', (_req, res) => {
    res.json(tuning.spaces());
  });
  r.get('/api/tuning/:id/trials', async (req, res) => {
    res.json(await tuning.trialPage(identityOf(res), parse(TuningIdParams, req.params, 'path').id, parse(TuningTrialsQuery, req.query, 'query')));
  });
  r.get('/api/tuning/:id/summary', async (req, res) => {
    res.json(await tuning.summary(identityOf(res), parse(TuningIdParams, req.params, 'path').id));
  });
  r.get('/api/tuning/:id', async (req, res) => {
    res.json(await tuning.get(identityOf(res), parse(TuningIdParams, req.params, 'path').id));
  });
  for (const action of ['cancel', 'keep', 'discard'] as const) {
    r.post(`/api/tuning/:id/${action}`, async (req, res) => {
      res.json(await tuning[action](identityOf(res), parse(TuningIdParams, req.params, 'path').id));
    });
  }
  r.get('/api/tuning/:id/events', async (req, res) => {
    const id = parse(TuningIdParams, req.params, 'path').id;
    const who = identityOf(res);
    await tuning.visible(who, id);
    const lastEventId = req.header('last-event-id');
    await sendEventStream(res, {
      events: deps.events,
      redisUrl: deps.redisUrl,
      id,
      after: lastEventId !== undefined && isStreamId(lastEventId) ? lastEventId : STREAM_START,
      isFinal: (e) => e.type === 'status' && FINISHED_TUNING_STATUSES.includes(e.status),
      finished: async () => {
        const job = await tuning.visible(who, id);
        return FINISHED_TUNING_STATUSES.includes(job.status) ? { type: 'status' as const, status: job.status, error: job.error } : null;
      },
    });
  });
  return r;
}
