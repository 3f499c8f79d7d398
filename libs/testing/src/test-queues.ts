import { processEnv } from '@inkwell/config';
import { createQueueSandbox, type QueueSandbox } from '@inkwell/queue';

export type TestQueues = QueueSandbox;
export { waitForJob, type FinishedJob } from '@inkwell/queue';

/**
 * Queues for one test: a prefix of its own, producers and QueueEvents under it, and a `cleanup`
 * that closes the workers it was given and obliterates every queue under the prefix (as BullMQ's
 * own tests do). Wait for work with `waitForJob`, never by polling.
 */
export function createTestQueues(prefix?: string): TestQueues {
  return createQueueSandbox(processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
}
