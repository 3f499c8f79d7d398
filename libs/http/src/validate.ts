import type { z } from 'zod';
import { AppError } from '@inkwell/contracts';

/** Parses untrusted input against a contract, answering `validation_failed` with the issues. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('validation_failed', `Invalid request ${where}`, {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
