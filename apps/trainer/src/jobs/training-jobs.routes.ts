import { Router } from 'express';
import { FINISHED_JOB_STATUSES, JobIdParams, JobListQuery, TrainRequest } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { sendEventStream } from '../events/sse-stream';
import { isStreamId, STREAM_START, type JobEvents } from './job-events';
import type { TrainingJobsService } from './training-jobs.service';

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
    await sendEventStream(res, {
      events: deps.events,
      redisUrl: deps.redisUrl,
      id,
      after: lastEventId !== undefined && isStreamId(lastEventId) ? lastEventId : STREAM_START,
      isFinal: (e) => e.type === 'status' && FINISHED_JOB_STATUSES.includes(e.status),
      finished: async () => {
        const job = await jobs.visible(who, id);
        return FINISHED_JOB_STATUSES.includes(job.status) ? { type: 'status' as const, status: job.status, error: job.error, model_version_id: job.model_version_id } : null;
      },
    });
  });
  return r;
}
