import { createHash } from 'node:crypto';
import { PIPELINE_PARAMS, PREPROCESS_VERSION } from './pipeline-params';

/** Hash of a version string and a parameter object; key order is the object's own (stable). */
export function hashPipeline(version: string, params: unknown): string {
  return createHash('sha256').update(JSON.stringify({ version, params })).digest('hex').slice(0, 16);
}

/**
 * Identifies this pipeline's behaviour. Trainers write it into a model's manifest; inference refuses
 * models whose `preprocess_hash` differs, because their inputs would not look like their training data.
 */
export const PREPROCESS_HASH = hashPipeline(PREPROCESS_VERSION, PIPELINE_PARAMS);
