import { Router } from 'express';
import { BenchmarkApplyRequest, BenchmarkGetQuery, BenchmarkIdParams, BenchmarkRequest, FINISHED_BENCHMARK_STATUSES } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import { isStreamId, STREAM_START } from '../events/event-stream';
import { sendEventStream } from '../events/sse-stream';
import type { BenchmarkEvents } from './benchmark-events';
import type { BenchmarksService } from './benchmarks.service';

export interface BenchmarksRoutesDeps {
  readonly events: BenchmarkEvents;
  readonly redisUrl: string;
}

export function benchmarksRoutes(benchmarks: BenchmarksService, deps: BenchmarksRoutesDeps): Router {
  const r = Router();
  r.use('/api/benchmarks', requireRole('viewer'));
  r.post('/api/benchmarks', requireRole('engineer'), async (req, res) => {
    res.status(202).json(await benchmarks.create(identityOf(res), parse(BenchmarkRequest, req.body)));
  });
  r.get('/api/benchmarks', async (_req, res) => {
    res.json(await benchmarks.list());
  });
  r.get('/api/benchmarks/:id', async (req, res) => {
    const id = parse(BenchmarkIdParams, req.params, 'path').id;
    res.json(await benchmarks.get(id, parse(BenchmarkGetQuery, req.query, 'query').samples));
  });
  r.post('/api/benchmarks/:id/apply', requireRole('admin'), async (req, res) => {
    const id = parse(BenchmarkIdParams, req.params, 'path').id;
    res.json(await benchmarks.apply(identityOf(res), id, parse(BenchmarkApplyRequest, req.body ?? {})));
  });
  r.get('/api/benchmarks/:id/events', async (req, res) => {
    const id = parse(BenchmarkIdParams, req.params, 'path').id;
    await benchmarks.row(id);
    const lastEventId = req.header('last-event-id');
    await sendEventStream(res, {
      events: deps.events,
      redisUrl: deps.redisUrl,
      id,
      after: lastEventId !== undefined && isStreamId(lastEventId) ? lastEventId : STREAM_START,
      isFinal: (e) => e.type === 'status' && FINISHED_BENCHMARK_STATUSES.includes(e.status),
      finished: async () => {
        const row = await benchmarks.row(id);
        return FINISHED_BENCHMARK_STATUSES.includes(row.status) ? { type: 'status' as const, status: row.status, error: row.error } : null;
      },
    });
  });
  return r;
}
