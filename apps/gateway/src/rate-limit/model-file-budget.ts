import type { RequestHandler } from 'express';
import { callerOf } from '../authn/authenticate';
import { clientSubject, rateLimitedError } from './client-budget';
import type { SlidingWindowLimiter } from './sliding-window';

/** The route whose answers are whole ONNX graphs (megabytes each), not the usual small JSON. */
export const MODEL_FILE_PATH = '/v1/models/:model_id/model.onnx';

/**
 * A second, small budget per client IP for the model files, on top of the caller's usual one. A
 * guest's 100 requests a minute are sized for reads; spent on model.onnx they would be ~170 MB a
 * minute from one address. Browsers keep the files (immutable, a year), so a real visitor fetches
 * each member once; a client refetching them in a loop meets this limit instead. Counted per IP
 * for every caller, signed in or not: the cost is bandwidth, which an account does not change.
 */
export function modelFileBudget(limiter: SlidingWindowLimiter, perWindow: number): RequestHandler {
  return async (_req, res, next) => {
    const d = await limiter.hit(`model-files:${clientSubject(callerOf(res).identity.ip)}`, perWindow);
    if (!d.allowed) throw rateLimitedError(d);
    next();
  };
}
