import type { Migration } from '@inkwell/db';
import { createUsage } from './20261122120000_create-usage';
import { createRetainedImages } from './20261130120000_create-retained-images';

export const INFERENCE_SCHEMA = 'inference';
/** Append-only, in order. */
export const INFERENCE_MIGRATIONS: readonly Migration[] = [createUsage, createRetainedImages];
