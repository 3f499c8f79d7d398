import type { Queue, QueueEvents } from 'bullmq';

export type FinishedJob = { readonly state: 'completed'; readonly returnvalue: unknown } | { readonly state: 'failed'; readonly failedReason: string };

/**
 * Resolves when job `jobId` completes or finally fails (after its retries), as QueueEvents reports
 * it; rejects after `timeoutMs`. With `queue`, a job that finished before the listener was
 * attached is seen too (its state is read once the listener is in place, so nothing falls
 * between the two).
 */
export function waitForJob(events: QueueEvents, jobId: string, timeoutMs: number, queue?: Queue): Promise<FinishedJob> {
  return new Promise<FinishedJob>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: FinishedJob | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      events.off('completed', onCompleted);
      events.off('failed', onFailed);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onCompleted = (args: { jobId: string; returnvalue: unknown }): void => {
      if (args.jobId === jobId) finish({ state: 'completed', returnvalue: parseReturnValue(args.returnvalue) });
    };
    const onFailed = (args: { jobId: string; failedReason: string }): void => {
      if (args.jobId === jobId) finish({ state: 'failed', failedReason: args.failedReason });
    };
    const timer = setTimeout(() => finish(new Error(`job ${jobId} of queue ${events.name} did not finish within ${timeoutMs} ms`)), timeoutMs);
    events.on('completed', onCompleted);
    events.on('failed', onFailed);
    if (queue) {
      // The state first, then the job: read the other way round, a job that completes between the
      // two reads is seen `completed` with the return value it had before (null).
      queue
        .getJobState(jobId)
        .then(async (state) => {
          if (state !== 'completed' && state !== 'failed') return;
          const job = await queue.getJob(jobId);
          if (!job) return;
          if (state === 'completed') finish({ state, returnvalue: job.returnvalue });
          else finish({ state, failedReason: job.failedReason });
        })
        .catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    }
  });
}

// QueueEvents hands the return value over as the JSON text stored in Redis.
function parseReturnValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
