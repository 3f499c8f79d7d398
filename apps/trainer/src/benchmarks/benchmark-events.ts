import type { Redis } from 'ioredis';
import { BenchmarkEvent } from '@inkwell/contracts';
import { EventStream } from '../events/event-stream';

/** Each benchmark's events (progress, each engine as it finishes, the final status): `<prefix>:benchmark-events:<id>`. */
export class BenchmarkEvents extends EventStream<BenchmarkEvent> {
  constructor(redis: Redis, prefix: string) {
    super(redis, prefix, 'benchmark-events', BenchmarkEvent);
  }
}
