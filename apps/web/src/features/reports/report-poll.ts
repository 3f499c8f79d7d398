import type { ReportSummary } from '@inkwell/contracts';

const FIRST_POLL_MS = 1_000;
const LAST_POLL_MS = 30_000;

/** Per report being rendered: the last answer counted and how many answers said `queued`. */
const polls = new Map<string, { readonly at: number; readonly n: number }>();

/**
 * How long to wait before asking again about reports still being rendered (the service has no
 * event stream): 1, 2, 4 … up to 30 s, so a report stuck in the queue costs a request every half
 * minute rather than every second. `answeredAt` tells answers apart (TanStack asks for the interval
 * on every render, not only after a fetch). False once nothing is queued.
 */
export function renderingPollMs(reports: readonly (ReportSummary | null)[], answeredAt: number): number | false {
  const queued = reports.filter((r): r is ReportSummary => r?.status === 'queued');
  if (queued.length === 0) return false;
  const key = queued.map((r) => `${r.id}@${r.requested_at}`).join(',');
  const seen = polls.get(key);
  const n = seen === undefined ? 0 : seen.at === answeredAt ? seen.n : seen.n + 1;
  polls.set(key, { at: answeredAt, n });
  return Math.min(FIRST_POLL_MS * 2 ** Math.min(n, 5), LAST_POLL_MS);
}
