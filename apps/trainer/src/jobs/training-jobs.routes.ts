import { Router, type Response } from 'express';
import { FINISHED_JOB_STATUSES, JobIdParams, JobListQuery, TrainRequest, type TrainJobEvent } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { createRedis } from '@inkwell/queue';
import { isStreamId, STREAM_START, type JobEvents } from './job-events';
import type { TrainingJobsService } from './training-jobs.service';

/** Under the gateway's upstream idle timeout, so a quiet stream (a job waiting in the queue) stays open. */
const HEARTBEAT_MS = 5_000;

export interface TrainingRoutesDeps {
  readonly events: JobEvents;
  /** Each SSE reader blocks on a connection of its own to this Redis, closed when the client leaves. */
  readonly redisUrl: string;
}

export function trainingJobsRoutes(jobs: TrainingJobsService, deps: TrainingRoutesDeps): Router {
  const r = Router();
  r.use(['/api/models/train', '/api/jobs'], requireRole('engineer'));
  r.post('/api/models/train', async (req, res) => {
    res.status(202).json(await jobs.create(identityOf(res), parse(TrainRequest, req.body)));
  });
  r.get('/api/jobs', async (req, res) => {
    res.json(await jobs.list(identityOf(res), parse(JobListQuery, req.query, 'query')));
  });
  r.get('/api/jobs/:id', async (req, res) => {
    res.json(await jobs.get(identityOf(res), parse(JobIdParams, req.params, 'path').id));
  });
  r.post('/api/jobs/:id/cancel', async (req, res) => {
    res.json(await jobs.cancel(identityOf(res), parse(JobIdParams, req.params, 'path').id));
  });
  r.get('/api/jobs/:id/events', async (req, res) => {
    const id = parse(JobIdParams, req.params, 'path').id;
    const who = identityOf(res);
    await jobs.visible(who, id);
    const lastEventId = req.header('last-event-id');
    await streamEvents(res, id, lastEventId !== undefined && isStreamId(lastEventId) ? lastEventId : STREAM_START, {
      ...deps,
      finished: async () => {
        const job = await jobs.visible(who, id);
        return FINISHED_JOB_STATUSES.includes(job.status) ? { type: 'status', status: job.status, error: job.error, model_version_id: job.model_version_id } : null;
      },
    });
  });
  return r;
}

/**
 * Server-sent events: the job's stored events after `after`, then new ones as they arrive, each
 * flushed as written; ends after a final status. When the stream has aged out of Redis but the
 * job has finished, its final status comes from the row (without an id: there is nothing after it).
 */
async function streamEvents(res: Response, jobId: string, after: string, deps: TrainingRoutesDeps & { finished: () => Promise<TrainJobEvent | null> }): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  // A blocking read outlasts a client connection's command timeout: a worker-kind connection has none.
  const conn = createRedis(deps.redisUrl, 'worker');
  // Its failures surface as the read's rejection below; the event only needs a listener.
  conn.on('error', () => undefined);
  let open = true;
  res.on('close', () => {
    open = false;
    // Ends a read blocked on this connection at once.
    conn.disconnect();
  });
  let last = after;
  let first = true;
  try {
    while (open) {
      const batch = await deps.events.read(conn, jobId, last, first ? undefined : HEARTBEAT_MS);
      first = false;
      for (const e of batch) {
        res.write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`);
        last = e.id;
        if (e.event.type === 'status' && FINISHED_JOB_STATUSES.includes(e.event.status)) open = false;
      }
      if (!open || batch.length > 0) continue;
      const final = await deps.finished();
      if (final) {
        res.write(`event: ${final.type}\ndata: ${JSON.stringify(final)}\n\n`);
        break;
      }
      res.write(': keep-alive\n\n');
    }
  } catch (err) {
    // A client that left mid-read closes the connection under it; nothing to answer then.
    if (open) throw err;
  } finally {
    conn.disconnect();
    if (!res.writableEnded) res.end();
  }
}
