import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';

export type StreamState = 'connecting' | 'open' | 'error';

/**
 * Subscribes to a server-sent event stream (a URL from `apiHref`) while `url` is non-null and
 * hands each message named `event` (or any of several names: a stream may end with a different
 * event than it runs with), parsed by `schema`, to `onMessage`. EventSource reconnects by itself
 * (sending Last-Event-ID); messages that do not parse are dropped rather than breaking the page.
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
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
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
    for (const name of names.split(',')) source.addEventListener(name, listener);
    return () => {
      for (const name of names.split(',')) source.removeEventListener(name, listener);
      source.close();
    };
  }, [url, names, schema]);
  return state;
}
