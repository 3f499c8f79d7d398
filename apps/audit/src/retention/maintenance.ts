import type { Db } from '@inkwell/db';
import { ensureMonthPartitions } from '../partitions/month-partitions';
import type { RetentionOutcome, RetentionService } from './retention.service';

const AHEAD_MS = 32 * 86_400_000;

/** This month's and next month's partitions, so the writer never meets a month without one. */
export const ensurePartitionsAhead = (db: Db, at: Date): Promise<string[]> => ensureMonthPartitions(db, at, new Date(at.getTime() + AHEAD_MS));

/** Each maintenance run: partitions ahead, then retention. */
export async function maintain(db: Db, retention: RetentionService, now: () => Date): Promise<RetentionOutcome> {
  await ensurePartitionsAhead(db, now());
  return retention.run();
}
