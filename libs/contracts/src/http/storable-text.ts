import type { z } from 'zod';

/**
 * Free text that lands in PostgreSQL: its `text` cannot hold NUL, so a string with one is the
 * client's mistake (400 validation_failed), not a failed insert (500).
 */
export const storableText = <S extends z.ZodType<string>>(schema: S) => schema.refine((s) => !s.includes('\0'), 'must not contain NUL characters');
