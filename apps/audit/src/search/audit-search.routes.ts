import { once } from 'node:events';
import { Router, type Response } from 'express';
import { AuditLogFilter, AuditLogQuery, AuditStreamResume } from '@inkwell/contracts';
import { requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import { csvPieces } from './audit-csv';
import type { AuditSearchService } from './audit-search.service';
import { LIVE_TAIL_DEFAULTS, sendLiveTail, type LiveTailOptions } from './audit-stream';

export interface AuditSearchRoutesOptions {
  readonly logger: Logger;
  readonly liveTail?: Partial<LiveTailOptions>;
  readonly now?: () => Date;
}

/**
 * How much written text may wait for the socket before the export stops to let it drain: a few
 * pieces, so a slow client slows the reads and never grows memory, while a fast one is not made
 * to wait for each 32 K piece in turn (that made the export several seconds slower).
 */
const MAX_BUFFERED = 256 * 1024;

/**
 * Writes, then waits while more than MAX_BUFFERED is queued. A client that leaves meanwhile ends
 * the wait (no `drain` would ever come). Past 16 KB `write` has returned false, so `drain` comes.
 */
async function writeWithBackpressure(res: Response, text: string, left: AbortSignal): Promise<void> {
  res.write(text);
  if (res.writableLength > MAX_BUFFERED) await once(res, 'drain', { signal: left }).catch(() => undefined);
}

/** The audit log's read routes (admin only): search, CSV export, live tail. */
export function auditSearchRoutes(search: AuditSearchService, opts: AuditSearchRoutesOptions): Router {
  const r = Router();
  const now = opts.now ?? (() => new Date());
  const liveTail: LiveTailOptions = { ...LIVE_TAIL_DEFAULTS, ...opts.liveTail };

  r.get('/api/admin/audit-logs', requireRole('admin'), async (req, res) => {
    res.json(await search.page(parse(AuditLogQuery, req.query, 'query')));
  });

  r.get('/api/admin/audit-logs/export.csv', requireRole('admin'), async (req, res) => {
    const filter = parse(AuditLogFilter, req.query, 'query');
    const pieces = csvPieces(search.exportBatches(filter));
    // The first batch before the head, so a database failure is still a proper error answer.
    const first = await pieces.next();
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`audit-log-${now().toISOString().slice(0, 10)}.csv`)
      .setHeader('Cache-Control', 'no-store');
    const left = new AbortController();
    res.on('close', () => left.abort());
    try {
      if (!first.done) await writeWithBackpressure(res, first.value, left.signal);
      for await (const piece of pieces) {
        if (left.signal.aborted) break;
        await writeWithBackpressure(res, piece, left.signal);
      }
      res.end();
    } catch (err) {
      // Mid-download the status is sent: cut the connection, so the client sees a failed download
      // rather than a file that ends early and looks complete.
      opts.logger.error({ err }, 'audit export failed');
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });

  r.get('/api/admin/audit-logs/stream', requireRole('admin'), async (req, res) => {
    const filter = parse(AuditLogFilter, req.query, 'query');
    const resume = req.header('last-event-id');
    const after = resume === undefined ? await search.headSeq() : Number(parse(AuditStreamResume, resume, 'Last-Event-ID header'));
    await sendLiveTail(res, search, filter, after, liveTail, opts.logger);
  });

  return r;
}
