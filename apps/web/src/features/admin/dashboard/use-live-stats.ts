import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { AdminStats } from '@inkwell/contracts';
import { api, apiHref } from '../../../api/api-client';
import { useEventStream } from '../../../api/event-stream';

export const STATS_KEY = ['admin', 'stats'] as const;
const STREAM_URL = apiHref('/api/admin/stats/stream', {});

/** What the live indicator says: the stream is delivering, has not opened yet, or dropped and is retrying. */
export type LiveState = 'live' | 'connecting' | 'reconnecting';

/**
 * The dashboard's numbers: the first ones from `GET /api/admin/stats` (so the page is not empty
 * until the stream's first push), then every push of `/api/admin/stats/stream` replaces them in
 * the query cache, so every reader of the key sees the newest.
 */
export function useLiveStats() {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: STATS_KEY,
    queryFn: ({ signal }) => api('get', '/api/admin/stats', { schema: AdminStats, signal }),
    // The stream keeps it fresh; refetching on top of it would only race the pushes.
    staleTime: Infinity,
  });
  const stream = useEventStream(STREAM_URL, 'stats', AdminStats, (next) => {
    // The first GET may answer after a push: never go back to older numbers.
    queryClient.setQueryData<AdminStats>(STATS_KEY, (prev) => (prev && Date.parse(prev.generated_at) > Date.parse(next.generated_at) ? prev : next));
  });
  const everOpen = useRef(false);
  if (stream === 'open') everOpen.current = true;
  const live: LiveState = stream === 'open' ? 'live' : everOpen.current ? 'reconnecting' : 'connecting';
  return { query, live };
}
