import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'express';
import type { AuditLogFilter } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { AuditSearchService } from './audit-search.service';

export interface LiveTailOptions {
  /** How often the table is read for new events: a new event reaches the client within about this. */
  readonly pollMs: number;
  /** A comment line after this long without an event, under the gateway's upstream idle timeout. */
  readonly heartbeatMs: number;
  /** Events per read; a backlog (a client resuming far behind) is sent in reads of this size without waiting. */
  readonly batch: number;
}

export const LIVE_TAIL_DEFAULTS: LiveTailOptions = { pollMs: 250, heartbeatMs: 5_000, batch: 500 };

/**
 * Server-sent events: each matching event after `after` as it is stored, oldest first, with
 * `id: <seq>`, so a client that reconnects with `Last-Event-ID` gets the rest without a gap or a
 * repeat. Reads the table every `pollMs` (one indexed range read of the events stored since the
 * last one); ends when the client leaves.
 */
export async function sendLiveTail(res: Response, search: AuditSearchService, filter: AuditLogFilter, after: number, opts: LiveTailOptions, logger: Logger): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  // The browser's EventSource reconnects after this long, sending the last id it saw.
  res.write('retry: 1000\n\n');
  const left = new AbortController();
  res.on('close', () => left.abort());
  let last = after;
  let quietSince = Date.now();
  try {
    while (!left.signal.aborted) {
      const { events, next } = await search.tail(filter, last, opts.batch);
      if (events.length > 0) {
        res.write(events.map((e) => `id: ${e.seq}\nevent: audit\ndata: ${JSON.stringify(e)}\n\n`).join(''));
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= opts.heartbeatMs) {
        res.write(': keep-alive\n\n');
        quietSince = Date.now();
      }
      last = next;
      // A full batch means more are waiting: send them now.
      if (events.length < opts.batch) await sleep(opts.pollMs, undefined, { signal: left.signal }).catch(() => undefined);
    }
  } catch (err) {
    // The head is sent: no error body can follow. Ending the stream makes the client reconnect
    // with the last id it got, so nothing is lost.
    logger.error({ err, last }, 'audit live tail failed');
  } finally {
    if (!res.writableEnded) res.end();
  }
}
