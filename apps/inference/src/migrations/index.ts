import type { Migration } from '@inkwell/db';
import { createUsage } from './20261122120000_create-usage';
import { createRetainedImages } from './20261130120000_create-retained-images';
import { createInferenceOutbox } from './20261210220000_create-outbox';
import { createBatchJobs } from './20261215120000_create-batch-jobs';

export const INFERENCE_SCHEMA = 'inference';
/** Append-only, in order. */
export const INFERENCE_MIGRATIONS: readonly Migration[] = [createUsage, createRetainedImages, createInferenceOutbox, createBatchJobs];
