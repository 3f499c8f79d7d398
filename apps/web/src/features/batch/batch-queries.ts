import { AdminBatchJobList, BatchApiConfig, BatchJobList, FINISHED_BATCH_STATUSES, type AdminBatchJob, type BatchJob, type BatchJobStatus } from '@inkwell/contracts';
import { api } from '../../api/api-client';

/** Which jobs the list shows: the caller's own, or (admins) everyone's with the owner. */
export type JobScope = 'mine' | 'all';

/** A job as the list holds it: the admin view carries the owner, the caller's own does not. */
export type ListedJob = BatchJob & Partial<Pick<AdminBatchJob, 'owner_id' | 'owner_kind'>>;

export const jobsKey = (scope: JobScope) => ['batch', 'jobs', scope] as const;
export const ALL_JOBS_KEY = ['batch', 'jobs'] as const;
export const LIMITS_KEY = ['batch', 'limits'] as const;

/** Newest first, as the API sends them. */
export async function fetchJobs(scope: JobScope, signal: AbortSignal): Promise<ListedJob[]> {
  if (scope === 'all') return (await api('get', '/api/admin/batch-jobs', { query: { limit: 100 }, schema: AdminBatchJobList, signal })).jobs;
  return (await api('get', '/api/batch', { query: { limit: 100 }, schema: BatchJobList, signal })).jobs;
}

/** The upload limits; only admins may read them (others rely on the server's 413). */
export async function fetchLimits(signal: AbortSignal): Promise<BatchApiConfig['batch']> {
  return (await api('get', '/api/admin/batch-config', { schema: BatchApiConfig, signal })).batch;
}

export const isActive = (status: BatchJobStatus): boolean => !FINISHED_BATCH_STATUSES.includes(status);

/** How far along a status is: a job only moves queued -> running -> finished. */
const stage = (status: BatchJobStatus): number => (status === 'queued' ? 0 : status === 'running' ? 1 : 2);

/**
 * Whether `a` is a later state of the job than `b`. A job only moves forward (status, then
 * processed), so of two copies the one further along is the newer, whichever arrived last.
 */
export const isNewer = (a: BatchJob, b: BatchJob): boolean => stage(a.status) > stage(b.status) || (a.status === b.status && a.processed > b.processed);

/**
 * The list with one job replaced by another copy (an SSE event), keeping the owner fields, unless
 * the list already holds a later state of it.
 */
export function withJob(jobs: readonly ListedJob[] | undefined, fresh: BatchJob): ListedJob[] | undefined {
  return jobs?.map((j) => (j.id === fresh.id && !isNewer(j, fresh) ? { ...j, ...fresh } : j));
}

/**
 * A list fetched from the server, with each job the cache already holds further along (from its
 * event stream, while the list request was on its way) kept: the slower list refresh must not
 * move a row's progress backwards.
 */
export function keepNewest(fetched: readonly ListedJob[], cached: readonly ListedJob[] | undefined): ListedJob[] {
  const known = new Map((cached ?? []).map((j) => [j.id, j]));
  return fetched.map((j) => {
    const seen = known.get(j.id);
    return seen && isNewer(seen, j) ? { ...j, ...seen } : j;
  });
}

/** The first 8 characters of a job id: enough to tell jobs apart on screen. */
export const shortId = (id: string): string => id.slice(0, 8);
