import type { AuditEvent } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

const DAY_MS = 86_400_000;

/**
 * Drops (and logs) events that happened before the retention window. Retention deletes the ids of
 * the events it prunes along with them, so without this a very late redelivery of a pruned event
 * (a relay replaying an old outbox row) would be stored again under a new seq. A pruned event was
 * stored before the cutoff of its pruning, and happened before it was stored (producers' clocks
 * agreeing with the audit service's), so its redelivery is always older than the window. An event
 * that old would be pruned by the next maintenance run anyway.
 */
export function staleEventFilter(opts: { readonly retentionDays: number; readonly now: () => Date; readonly logger: Logger }) {
  return (events: readonly AuditEvent[]): AuditEvent[] => {
    const cutoff = opts.now().getTime() - opts.retentionDays * DAY_MS;
    const fresh: AuditEvent[] = [];
    for (const e of events) {
      if (Date.parse(e.at) >= cutoff) fresh.push(e);
      else opts.logger.warn({ event_id: e.id, at: e.at, action: e.action, service: e.service }, 'stale audit event dropped: it happened before the retention window');
    }
    return fresh;
  };
}
