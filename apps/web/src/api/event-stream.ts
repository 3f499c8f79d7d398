import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { renewSessionIfNeeded } from './auth-api';

/** The wait before opening a refused stream again, doubling up to the most. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export type StreamState = 'connecting' | 'open' | 'error';

/**
 * Subscribes to a server-sent event stream (a URL from `apiHref`) while `url` is non-null and
 * hands each message named `event` (or any of several names: a stream may end with a different
 * event than it runs with), parsed by `schema`, to `onMessage`. EventSource reconnects by itself
 * (sending Last-Event-ID) after a dropped connection; messages that do not parse are dropped
 * rather than breaking the page. A stream the server refuses (an expired access cookie: 401) is
 * closed for good by EventSource, so this hook renews the session and opens a new one, waiting
 * longer after each refusal (1 s, 2 s, 4 s ... 30 s).
 */
export function useEventStream<S extends z.ZodType>(url: string | null, event: string | readonly string[], schema: S, onMessage: (data: z.infer<S>) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  // A key, not the array: a literal list is a new array each render and would reconnect each time.
  const names = typeof event === 'string' ? event : event.join(',');
  useEffect(() => {
    if (!url) return;
    setState('connecting');
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let refusals = 0;
    let stopped = false;
    const listener = (e: MessageEvent<string>) => {
      let json: unknown;
      try {
        json = JSON.parse(e.data) as unknown;
      } catch {
        return;
      }
      const parsed = schema.safeParse(json);
      if (parsed.success) handler.current(parsed.data);
    };
    const open = () => {
      const next = new EventSource(url, { withCredentials: true });
      source = next;
      next.onopen = () => {
        refusals = 0;
        setState('open');
      };
      next.onerror = () => {
        if (next.readyState !== EventSource.CLOSED) {
          setState('connecting');
          return;
        }
        setState('error');
        const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** refusals);
        refusals += 1;
        retryTimer = window.setTimeout(() => {
          // Whatever the renewal says (unreachable, no session), trying again is what a reader of
          // the page wants; the session watch sends a user whose session is gone to sign in.
          void renewSessionIfNeeded()
            .catch(() => false)
            .then(() => {
              if (!stopped) open();
            });
        }, wait);
      };
      for (const name of names.split(',')) next.addEventListener(name, listener);
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      if (source) {
        for (const name of names.split(',')) source.removeEventListener(name, listener);
        source.close();
      }
    };
  }, [url, names, schema]);
  return state;
}
