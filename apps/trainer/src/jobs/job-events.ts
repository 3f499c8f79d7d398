import type { Redis } from 'ioredis';
import { TrainJobEvent } from '@inkwell/contracts';
import { EventStream } from '../events/event-stream';

export { isStreamId, STREAM_START } from '../events/event-stream';

/** Each training job's progress and status events (`<prefix>:train-events:<job>`). */
export class JobEvents extends EventStream<TrainJobEvent> {
  constructor(redis: Redis, prefix: string) {
    super(redis, prefix, 'train-events', TrainJobEvent);
  }
}
