import { Router, type Response } from 'express';
import { FINISHED_TUNING_STATUSES, TuneVersionParams, TuneVersionRequest, TuningIdParams, TuningRequest, type TuningEvent } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { createRedis } from '@inkwell/queue';
import { isStreamId, STREAM_START } from '../jobs/job-events';
import type { TuningEvents } from './tuning-events';
import type { TuningService } from './tuning.service';

/** Under the gateway's upstream idle timeout, so a quiet stream (trials waiting for a slot) stays open. */
const HEARTBEAT_MS = 5_000;

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
    await streamEvents(res, id, lastEventId !== undefined && isStreamId(lastEventId) ? lastEventId : STREAM_START, deps, async () => {
      const job = await tuning.visible(who, id);
      return FINISHED_TUNING_STATUSES.includes(job.status) ? { type: 'status', status: job.status, error: job.error } : null;
    });
  });
  return r;
}

/** Server-sent events, as the training jobs' stream: stored events after `after`, then new ones; ends after a final status. */
async function streamEvents(res: Response, id: string, after: string, deps: TuningRoutesDeps, finished: () => Promise<TuningEvent | null>): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  const conn = createRedis(deps.redisUrl, 'worker');
  conn.on('error', () => undefined);
  let open = true;
  res.on('close', () => {
    open = false;
    conn.disconnect();
  });
  let last = after;
  let first = true;
  try {
    while (open) {
      const batch = await deps.events.read(conn, id, last, first ? undefined : HEARTBEAT_MS);
      first = false;
      for (const e of batch) {
        res.write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`);
        last = e.id;
        if (e.event.type === 'status' && FINISHED_TUNING_STATUSES.includes(e.event.status)) open = false;
      }
      if (!open || batch.length > 0) continue;
      const final = await finished();
      if (final) {
        res.write(`event: ${final.type}\ndata: ${JSON.stringify(final)}\n\n`);
        break;
      }
      res.write(': keep-alive\n\n');
    }
  } catch (err) {
    if (open) throw err;
  } finally {
    conn.disconnect();
    if (!res.writableEnded) res.end();
  }
}
