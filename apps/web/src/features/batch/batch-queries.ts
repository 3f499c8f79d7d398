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
  return (await api('get', '/api/admin/api-config', { schema: BatchApiConfig, signal })).batch;
}

export const isActive = (status: BatchJobStatus): boolean => !FINISHED_BATCH_STATUSES.includes(status);

/** The list with one job replaced by a fresher copy (an SSE event), keeping the owner fields. */
export function withJob(jobs: readonly ListedJob[] | undefined, fresh: BatchJob): ListedJob[] | undefined {
  return jobs?.map((j) => (j.id === fresh.id ? { ...j, ...fresh } : j));
}

/** The first 8 characters of a job id: enough to tell jobs apart on screen. */
export const shortId = (id: string): string => id.slice(0, 8);
