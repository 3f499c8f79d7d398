import { join } from 'node:path';

/**
 * Where a batch job's files live: `<DATA_DIR>/batch/<job id>/`. Items are stored under `in/` by
 * index, never by the names they came with, so no uploaded name can reach outside the folder: a
 * ZIP's items in one pack (item-pack.ts), images uploaded as files one file each.
 */
export const batchRoot = (dataDir: string): string => join(dataDir, 'batch');
export const jobDir = (dataDir: string, jobId: string): string => join(batchRoot(dataDir), jobId);
export const itemsDir = (dataDir: string, jobId: string): string => join(jobDir(dataDir, jobId), 'in');
/** `000123`: six digits cover the default limit of 50,000 and sort in item order. */
export const itemFileName = (idx: number): string => String(idx).padStart(6, '0');
export const itemPath = (dataDir: string, jobId: string, idx: number): string => join(itemsDir(dataDir, jobId), itemFileName(idx));
/** The results ZIP, relative to DATA_DIR (as `batch_jobs.results_path` stores it). */
export const resultsRelativePath = (jobId: string): string => join('batch', jobId, 'results.zip');
