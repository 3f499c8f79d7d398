import type { AuditEvent } from '@inkwell/contracts';
import type { TypedHandlers } from '@inkwell/queue';
import type { ChainWriter } from '../chain/chain-writer';
import { eventContent } from '../chain/event-row';
import { GroupCommit } from './group-commit';
import { staleEventFilter } from './stale-events';

type StaleOptions = Parameters<typeof staleEventFilter>[0];

/**
 * The `audit` queue's handlers. A job completes only once its event is committed (or was stored
 * before: a job delivered twice stores its event once), so a crash or a database outage loses
 * nothing: the job is retried or, if its worker died, taken again after its lock expires.
 */
export function auditHandlers(batches: GroupCommit<AuditEvent>): TypedHandlers<'audit'> {
  return {
    'audit.record': async (event) => {
      await batches.add(event);
    },
  };
}

/** Events from many jobs, written in shared transactions of at most `max`; those older than the retention window are dropped. */
export function auditBatches(writer: ChainWriter, max: number, stale: StaleOptions): GroupCommit<AuditEvent> {
  const fresh = staleEventFilter(stale);
  return new GroupCommit(async (events) => {
    const kept = fresh(events);
    if (kept.length > 0) await writer.append(kept.map(eventContent));
  }, max);
}
