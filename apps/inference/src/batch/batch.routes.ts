import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Router, type Response } from 'express';
import { AppError, BatchIdParams, BatchListQuery, FINISHED_BATCH_STATUSES, type BatchJob, type BatchJobEvent } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { BatchService } from './batch.service';

export interface BatchRouteOptions {
  /** How often an SSE stream looks at the job's row (the worker may run on any replica). */
  readonly pollMs: number;
  /** A comment line this often keeps a quiet stream open under the gateway's upstream idle timeout. */
  readonly heartbeatMs: number;
}

const DEFAULTS: BatchRouteOptions = { pollMs: 500, heartbeatMs: 5_000 };

export function batchRoutes(batch: BatchService, options: Partial<BatchRouteOptions> = {}): Router {
  const opts = { ...DEFAULTS, ...options };
  const r = Router();
  r.use('/api/batch', requireRole('viewer'));
  r.use(['/api/admin/batch-jobs', '/api/admin/api-config'], requireRole('admin'));

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
    const path = await batch.resultsPath(identityOf(res), id);
    const size = await stat(path).then(
      (s) => s.size,
      () => {
        throw new AppError('not_found', 'The results file is missing');
      },
    );
    res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': size, 'Content-Disposition': `attachment; filename="batch-${id}-results.zip"`, 'Cache-Control': 'no-store' });
    createReadStream(path).on('error', () => res.destroy()).pipe(res);
  });
  r.get('/api/batch/:id/events', async (req, res) => {
    const id = parse(BatchIdParams, req.params, 'path').id;
    const who = identityOf(res);
    const first = await batch.get(who, id);
    await streamProgress(res, first, () => batch.get(who, id), opts);
  });

  r.get('/api/admin/batch-jobs', async (req, res) => {
    res.json({ jobs: await batch.adminList(parse(BatchListQuery, req.query, 'query')) });
  });
  r.get('/api/admin/batch-jobs/:id', async (req, res) => {
    res.json(await batch.adminGet(parse(BatchIdParams, req.params, 'path').id));
  });
  r.get('/api/admin/api-config', (_req, res) => {
    res.json(batch.apiConfig());
  });
  return r;
}

const changed = (a: BatchJob, b: BatchJob): boolean => a.status !== b.status || a.processed !== b.processed || a.failed !== b.failed;

/**
 * Server-sent events from the job's row: the state at once, a `progress` event whenever the counts
 * or status change, and a final `status` event once it has finished. The row is the one record
 * every replica's worker writes, so any replica can serve any job's stream.
 */
async function streamProgress(res: Response, first: BatchJob, load: () => Promise<BatchJob>, opts: BatchRouteOptions): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let open = true;
  res.on('close', () => {
    open = false;
  });
  const send = (event: BatchJobEvent): void => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  let last = first;
  let quietSince = Date.now();
  try {
    for (;;) {
      if (FINISHED_BATCH_STATUSES.includes(last.status)) {
        send({ type: 'status', job: last });
        break;
      }
      if (last === first) send({ type: 'progress', job: last });
      await new Promise((r) => setTimeout(r, opts.pollMs));
      if (!open) break;
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
    if (!res.writableEnded) res.end();
  }
}
