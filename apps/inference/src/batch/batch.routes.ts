import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { AppError, BATCH_RESULTS_FILES, BatchIdParams, BatchListQuery, BatchResultsQuery, FINISHED_BATCH_STATUSES, type BatchJob, type BatchJobEvent } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import { streamFailure } from '../stream-failure';
import { ownerOf, type BatchService } from './batch.service';
import { openResultsEntry } from './results-entry';

/** Subscribes to a job's progress notices (batch-events.ts); resolves to the unsubscribe. */
export type FollowNotices = (jobId: string, onNotice: () => void) => Promise<() => void>;

export interface BatchRouteOptions {
  /**
   * How an SSE stream hears of progress at once: the worker's notices, from every replica. Without
   * it (or while Redis is away) the stream sees changes only at its safety poll.
   */
  readonly follow: FollowNotices | null;
  /** How often an SSE stream looks at the job's row even without a notice (one missed, Redis away). */
  readonly pollMs: number;
  /** A comment line this often keeps a quiet stream open under the gateway's upstream idle timeout. */
  readonly heartbeatMs: number;
  /** SSE streams one caller may hold open at once on this process; one more is 429. */
  readonly maxStreamsPerCaller: number;
  /** A stream ends after this long; an EventSource reconnects and starts again from the row. */
  readonly maxStreamMs: number;
  /** Where a results download that ended early is logged (the client saw a 200 and a short body). */
  readonly logger: Logger | null;
}

const DEFAULTS: BatchRouteOptions = { logger: null, follow: null, pollMs: 5_000, heartbeatMs: 5_000, maxStreamsPerCaller: 5, maxStreamMs: 30 * 60_000 };

export function batchRoutes(batch: BatchService, options: Partial<BatchRouteOptions> = {}): Router {
  const opts = { ...DEFAULTS, ...options };
  const streams = new Map<string, number>();
  const r = Router();
  r.use('/api/batch', requireRole('viewer'));
  r.use(['/api/admin/batch-jobs', '/api/admin/batch-config'], requireRole('admin'));

  r.post('/api/batch', async (req, res) => {
    res.status(202).json(await batch.create(identityOf(res), req));
  });
  r.get('/api/batch', async (req, res) => {
    res.json({ jobs: await batch.list(identityOf(res), parse(BatchListQuery, req.query, 'query')) });
  });
  r.get('/api/batch/:id', async (req, res) => {
    res.json(await batch.get(identityOf(res), parse(BatchIdParams, req.params, 'path').id));
  });
  r.post('/api/batch/:id/cancel', async (req, res) => {
    res.json(await batch.cancel(identityOf(res), parse(BatchIdParams, req.params, 'path').id));
  });
  r.get('/api/batch/:id/results', async (req, res) => {
    const id = parse(BatchIdParams, req.params, 'path').id;
    const { format } = parse(BatchResultsQuery, req.query, 'query');
    const path = await batch.resultsPath(identityOf(res), id);
    // Only a file that is not there is 404 (purged, or never written); any other failure to open it
    // (a corrupt ZIP, out of file handles) is the server's fault and goes to the error handler as 500.
    const missing = (err: unknown): never => {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw new AppError('not_found', 'The results file is missing');
      throw err;
    };
    const headers = (type: string, size: number) => ({ 'Content-Type': type, 'Content-Length': size, 'Content-Disposition': `attachment; filename="batch-${id}-results.${format}"`, 'Cache-Control': 'no-store' });
    // pipeline, not pipe: a client that goes away (or a read error) destroys both ends, so the file
    // handle is closed instead of held until the process exits.
    const send = (stream: Readable) => pipeline(stream, res).catch((err: unknown) => opts.logger && streamFailure(opts.logger, err, { job_id: id, format }, 'batch results not sent whole'));
    if (format === 'zip') {
      const size = await stat(path).then((s) => s.size, missing);
      res.writeHead(200, headers('application/zip', size));
      await send(createReadStream(path));
      return;
    }
    // One table alone, inflated from the ZIP as it is sent: the ZIP stays the one stored copy.
    const entry = await openResultsEntry(path, BATCH_RESULTS_FILES[format]).catch(missing);
    if (!entry) throw new AppError('not_found', `The results have no ${format.toUpperCase()} table`);
    res.writeHead(200, headers(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', entry.size));
    await send(entry.stream);
  });
  r.get('/api/batch/:id/events', async (req, res) => {
    const id = parse(BatchIdParams, req.params, 'path').id;
    const who = identityOf(res);
    const first = await batch.get(who, id);
    const caller = ownerOf(who).id;
    const open = streams.get(caller) ?? 0;
    if (open >= opts.maxStreamsPerCaller) {
      throw new AppError('rate_limited', `At most ${opts.maxStreamsPerCaller} progress streams at once`, { limit: opts.maxStreamsPerCaller }, { 'Retry-After': '5' });
    }
    streams.set(caller, open + 1);
    try {
      await streamProgress(res, id, first, () => batch.get(who, id), opts);
    } finally {
      const left = (streams.get(caller) ?? 1) - 1;
      if (left > 0) streams.set(caller, left);
      else streams.delete(caller);
    }
  });

  r.get('/api/admin/batch-jobs', async (req, res) => {
    res.json({ jobs: await batch.adminList(parse(BatchListQuery, req.query, 'query')) });
  });
  r.get('/api/admin/batch-jobs/:id', async (req, res) => {
    res.json(await batch.adminGet(parse(BatchIdParams, req.params, 'path').id));
  });
  r.get('/api/admin/batch-config', (_req, res) => {
    res.json(batch.apiConfig());
  });
  return r;
}

const changed = (a: BatchJob, b: BatchJob): boolean => a.status !== b.status || a.processed !== b.processed || a.failed !== b.failed;

/**
 * Server-sent events from the job's row: the state at once, a `progress` event whenever the counts
 * or status change, and a final `status` event once it has finished. The worker's notices say when
 * to look at the row again (at once, from whichever replica runs the job); a slow poll covers a
 * notice lost or Redis away. The row stays the one record, so every replica can serve every stream.
 */
async function streamProgress(res: Response, jobId: string, first: BatchJob, load: () => Promise<BatchJob>, opts: BatchRouteOptions): Promise<void> {
  let nudged = false;
  let wake: (() => void) | null = null;
  const nudge = (): void => {
    nudged = true;
    wake?.();
  };
  let unfollow: () => void = () => undefined;
  let ended = false;
  // Subscribing waits for Redis; the stream does not: until then (or without Redis) the poll serves.
  opts.follow?.(jobId, nudge).then(
    (leave) => {
      if (ended) return leave();
      unfollow = leave;
      // A notice may have come between reading `first` and subscribing: look once more at once.
      nudge();
    },
    () => undefined,
  );
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let open = true;
  res.on('close', () => {
    open = false;
    wake?.();
  });
  const send = (event: BatchJobEvent): void => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const until = Date.now() + opts.maxStreamMs;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (nudged || !open) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  let last = first;
  let quietSince = Date.now();
  try {
    for (;;) {
      if (FINISHED_BATCH_STATUSES.includes(last.status)) {
        send({ type: 'status', job: last });
        break;
      }
      if (last === first) send({ type: 'progress', job: last });
      await pause(Math.min(opts.pollMs, opts.heartbeatMs));
      if (!open || Date.now() >= until) break;
      nudged = false;
      const now = await load();
      if (changed(now, last) && !FINISHED_BATCH_STATUSES.includes(now.status)) {
        send({ type: 'progress', job: now });
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= opts.heartbeatMs) {
        res.write(': keep-alive\n\n');
        quietSince = Date.now();
      }
      last = now;
    }
  } catch {
    // Headers are sent: a failed look at the row (the database away) ends the stream, and an
    // EventSource reconnects and starts again from the row.
  } finally {
    ended = true;
    unfollow();
    if (!res.writableEnded) res.end();
  }
}
