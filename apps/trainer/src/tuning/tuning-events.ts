import type { Redis } from 'ioredis';
import { TuningEvent } from '@inkwell/contracts';
import { EventStream } from '../events/event-stream';

/**
 * Each study's events (a trial queued, running, each epoch, finished; a new best; the final
 * status), in a stream per study like the training jobs' (`<prefix>:tuning-events:<study>`).
 */
export class TuningEvents extends EventStream<TuningEvent> {
  constructor(redis: Redis, prefix: string) {
    super(redis, prefix, 'tuning-events', TuningEvent);
  }
}
