import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TuningEvent, type TrialStatus, type TuningSummary, type TuningTrial } from '@inkwell/contracts';
import { apiHref } from '../../api/api-client';
import { useEventStream } from '../../api/event-stream';
import { isStudyFinished, summaryKey, trialsKey } from './tuning-queries';

/** Trials finish seconds apart, but a replayed stream sends many events at once: one refetch per this long at most. */
const SOON_MS = 500;
/** The summary carries every trial as columns (heavy for a big study): on trial news it is asked again this seldom; best and status news ask soon. */
const SUMMARY_ON_TRIAL_MS = 5_000;
/** Only while the stream cannot connect: the page asks by itself this often. */
const STREAM_DOWN_POLL_MS = 10_000;

/**
 * Asks for `key` again after `ms` (a delay given per call); calls while one is pending only bring it
 * sooner, never add another: a burst of news (a replayed stream) costs one refetch.
 */
function useDelayedInvalidate(client: QueryClient, key: readonly unknown[]) {
  const pending = useRef<{ timer: number; due: number } | null>(null);
  useEffect(() => () => window.clearTimeout(pending.current?.timer), []);
  const keyText = JSON.stringify(key);
  return useCallback(
    (ms: number) => {
      const due = Date.now() + ms;
      if (pending.current && pending.current.due <= due) return;
      window.clearTimeout(pending.current?.timer);
      const timer = window.setTimeout(() => {
        pending.current = null;
        void client.invalidateQueries({ queryKey: JSON.parse(keyText) as unknown[] });
      }, ms);
      pending.current = { timer, due };
    },
    [client, keyText],
  );
}

/**
 * The summary's counts with one trial's news applied: what each trial's status was as the counts
 * last showed it (the summary's status column, then the news since) says which count to take from.
 */
function withTrial(s: TuningSummary, trial: TuningTrial, shown: Map<number, TrialStatus>): TuningSummary {
  const at = s.columns.index.indexOf(trial.index);
  const before = shown.get(trial.index) ?? (at >= 0 ? s.columns.status[at] : undefined);
  if (before === trial.status) return s;
  shown.set(trial.index, trial.status);
  const counts = { ...s.counts, [trial.status]: (s.counts[trial.status] ?? 0) + 1 };
  if (before !== undefined) counts[before] = Math.max(0, (counts[before] ?? 0) - 1);
  return { ...s, counts };
}

/**
 * Keeps a running study's page current from its event stream: each trial updates the counts at
 * once and the trial page soon after; the heavy summary (plots) follows every few seconds, or at
 * once on a new best or status. Polling only stands in while the stream is down.
 */
export function useLiveRefresh(id: string, finished: boolean) {
  const client = useQueryClient();
  const [streamDone, setStreamDone] = useState(false);
  const refreshTrials = useDelayedInvalidate(client, trialsKey(id));
  const refreshSummary = useDelayedInvalidate(client, summaryKey(id));
  // Statuses applied to the counts since the summary last came from the server (cleared when it does).
  const shown = useRef<{ at: number; map: Map<number, TrialStatus> }>({ at: 0, map: new Map() });
  const onEvent = useCallback(
    (e: TuningEvent) => {
      if (e.type === 'trial') {
        const at = client.getQueryState(summaryKey(id))?.dataUpdatedAt ?? 0;
        if (shown.current.at !== at) shown.current = { at, map: new Map() };
        const map = shown.current.map;
        // The counts change now; dataUpdatedAt is kept, so a later fetch still counts as newer.
        client.setQueryData<TuningSummary>(summaryKey(id), (old) => (old ? withTrial(old, e.trial, map) : old), { updatedAt: at });
        refreshTrials(SOON_MS);
        refreshSummary(SUMMARY_ON_TRIAL_MS);
        return;
      }
      if (e.type === 'status' && isStudyFinished(e.status)) setStreamDone(true);
      refreshTrials(SOON_MS);
      refreshSummary(SOON_MS);
    },
    [client, id, refreshTrials, refreshSummary],
  );
  // A finished study has nothing more to say: no stream at all (its replay would only refetch).
  const live = !(finished || streamDone);
  const stream = useEventStream(live ? apiHref('/api/tuning/{id}/events', { params: { id } }) : null, ['trial', 'best', 'status'], TuningEvent, onEvent);
  useEffect(() => {
    if (!live || stream !== 'error') return;
    const poll = window.setInterval(() => {
      refreshTrials(0);
      refreshSummary(0);
    }, STREAM_DOWN_POLL_MS);
    return () => window.clearInterval(poll);
  }, [live, stream, refreshTrials, refreshSummary]);
  return stream;
}
