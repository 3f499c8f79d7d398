import type { Migration } from '@inkwell/db';
import { createDatasets } from './20261207120000_create-datasets';
import { createTrainingJobs } from './20261207130000_create-training-jobs';

export const TRAINER_SCHEMA = 'ml';
/** Append-only: never edit one that has landed. */
export const TRAINER_MIGRATIONS: readonly Migration[] = [createDatasets, createTrainingJobs];
