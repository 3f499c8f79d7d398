import type { Redis } from 'ioredis';
import type { TypedQueue } from '@inkwell/queue';
import { createRedis } from '@inkwell/queue';

/**
 * Cancel requests for training jobs, to whichever trainer process runs them: a job still waiting
 * leaves the queue; a running one is aborted by the process whose worker holds it, which hears of
 * it on a Redis channel every trainer process listens to.
 */
export class JobCancels {
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly redisUrl: string,
    private readonly gpuQueue: TypedQueue<'gpu'>,
  ) {}

  private get channel(): string {
    return `${this.gpuQueue.prefix}:train-cancel`;
  }

  /** After the row says `cancelled`: a waiting job is removed (an active one is locked, and stays), and every process is told. */
  async request(jobId: string): Promise<void> {
    await this.gpuQueue.queue.remove(jobId);
    await this.redis.publish(this.channel, jobId);
  }

  /** Calls `onCancel` with each job id cancelled anywhere, until `close`. */
  async listen(onCancel: (jobId: string) => void): Promise<void> {
    // A subscribed connection can do nothing else, and must wait out Redis restarts: its own, worker-kind.
    const sub = createRedis(this.redisUrl, 'worker');
    this.subscriber = sub;
    sub.on('message', (_channel: string, jobId: string) => onCancel(jobId));
    await sub.subscribe(this.channel);
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
