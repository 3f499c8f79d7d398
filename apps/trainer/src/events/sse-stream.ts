import type { Response } from 'express';
import { createRedis } from '@inkwell/queue';
import type { EventStream } from './event-stream';

/** Under the gateway's upstream idle timeout, so a quiet stream (a job waiting for a slot) stays open. */
const HEARTBEAT_MS = 5_000;

export interface SseStreamOptions<E> {
  readonly events: EventStream<E>;
  readonly redisUrl: string;
  readonly id: string;
  /** The stream id to replay after (Last-Event-ID), or STREAM_START. */
  readonly after: string;
  /** True for the event that ends the stream (a final status). */
  isFinal(event: E): boolean;
  /**
   * Read when nothing new arrived for a heartbeat: the final event from the row when the job has
   * already finished (its events expired, or it finished before the stream began), else null.
   */
  finished(): Promise<E | null>;
}

/**
 * Server-sent events from a job's Redis stream: what is stored after `after`, then new events as
 * they come (a blocking read on a connection of its own), a comment every few seconds so proxies
 * keep the connection open; ends after the final event, or with the client.
 */
export async function sendEventStream<E extends { readonly type: string }>(res: Response, o: SseStreamOptions<E>): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  // A blocking read outlasts a client connection's command timeout: a worker-kind connection has none.
  const conn = createRedis(o.redisUrl, 'worker');
  // Its failures surface as the read's rejection below; the event only needs a listener.
  conn.on('error', () => undefined);
  let open = true;
  res.on('close', () => {
    open = false;
    // Ends a read blocked on this connection at once.
    conn.disconnect();
  });
  let last = o.after;
  let first = true;
  try {
    while (open) {
      const batch = await o.events.read(conn, o.id, last, first ? undefined : HEARTBEAT_MS);
      first = false;
      for (const e of batch) {
        res.write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`);
        last = e.id;
        if (o.isFinal(e.event)) open = false;
      }
      if (!open || batch.length > 0) continue;
      const final = await o.finished();
      if (final) {
        // Without an id: there is nothing after it to resume from.
        res.write(`event: ${final.type}\ndata: ${JSON.stringify(final)}\n\n`);
        break;
      }
      res.write(': keep-alive\n\n');
    }
  } catch (err) {
    // A read cut by the client leaving is not an error; anything else is.
    if (open) throw err;
  } finally {
    conn.disconnect();
    if (!res.writableEnded) res.end();
  }
}
