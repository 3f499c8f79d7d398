import { createHash } from 'node:crypto';
import type { CreateReportRequest } from '@inkwell/contracts';

/**
 * A report's id, from its subject alone (a name-based UUID, version 5 layout over SHA-256): the
 * same request always names the same report, and no random id ever reaches a file.
 */
export function reportIdOf(req: CreateReportRequest): string {
  const name = req.kind === 'comparison' ? `comparison:${req.a}:${req.b}` : `benchmark:${req.benchmark_id}`;
  const h = createHash('sha256').update(`inkwell-report:${name}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const subjectIdsOf = (req: CreateReportRequest): string[] => (req.kind === 'comparison' ? [req.a, req.b] : [req.benchmark_id]);
