import { useEffect, useRef, useState } from 'react';
import { AuditLogEntry } from '@inkwell/contracts';
import { apiHref } from '../../../api/api-client';
import { useEventStream, type StreamState } from '../../../api/event-stream';
import type { AuditFilter } from './audit-filters';

/** How often the count of new events is announced: a busy log must not read out every event. */
const ANNOUNCE_MS = 3_000;

export interface LiveTail {
  /** Events that arrived while the tail was on, newest first (for the current filters). */
  readonly events: readonly AuditLogEntry[];
  /** Their count as last announced (at most every few seconds). */
  readonly announced: number;
  readonly state: StreamState;
}

/**
 * While `on`, subscribes to `/api/admin/audit-logs/stream` with the page's filters and collects
 * each matching event as it is stored. EventSource resumes after a dropped connection with
 * Last-Event-ID, so the server sends the missed events without a gap or a repeat. New filters
 * start a new collection.
 */
export function useLiveTail(filter: AuditFilter, on: boolean): LiveTail {
  const key = JSON.stringify(filter);
  const [collected, setCollected] = useState<{ readonly key: string; readonly events: readonly AuditLogEntry[] }>({ key, events: [] });
  const events = collected.key === key ? collected.events : [];
  const url = on ? apiHref('/api/admin/audit-logs/stream', { query: filter }) : null;
  const state = useEventStream(url, 'audit', AuditLogEntry, (e) =>
    setCollected((prev) => {
      const list = prev.key === key ? prev.events : [];
      return list.some((x) => x.seq === e.seq) ? prev : { key, events: [e, ...list] };
    }),
  );

  const count = useRef(events.length);
  count.current = events.length;
  const [announced, setAnnounced] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setAnnounced(count.current), ANNOUNCE_MS);
    return () => clearInterval(timer);
  }, [on]);
  return { events, announced: Math.min(announced, events.length), state };
}
