import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import { QUEUES, type QueueName } from '@inkwell/contracts';

export const QUEUES_BOARD_PATH = '/admin/queues';

/** bull-board over every platform queue (read from the contracts, so a new queue shows up by itself). */
export function queuesBoard(connection: Redis, prefix: string): { router: Router; close: () => Promise<void> } {
  const queues = (Object.keys(QUEUES) as QueueName[]).map((name) => new Queue(name, { connection, prefix }));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return { router: serverAdapter.getRouter() as Router, close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}
