import type { Logger } from '@inkwell/logger';

/**
 * Logs why a streamed response (a model file, a results table) ended early. A client that went away
 * is ordinary (debug); anything else (a read error, a corrupt ZIP) means the client got a truncated
 * body after a 200 it cannot take back, so it is a warning an operator should see.
 */
export function streamFailure(logger: Logger, err: unknown, fields: Record<string, unknown>, message: string): void {
  if (err instanceof Error && 'code' in err && err.code === 'ERR_STREAM_PREMATURE_CLOSE') logger.debug({ ...fields }, `${message}: the client went away`);
  else logger.warn({ ...fields, err }, message);
}
