import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const Ms = z.record(z.string(), z.number());
const Created = z.object({ msg: z.literal('batch job created'), job_id: z.string(), ms: Ms });
const Finished = z.object({ msg: z.literal('batch job run finished'), job_id: z.string(), read: z.number(), ms: Ms });

export interface JobLog {
  /** Intake: body to disk, ZIP checked and extracted, rows inserted. */
  readonly intake: Record<string, number> | null;
  /** The worker's phases (one entry per run of the job: a resumed job has several). */
  readonly runs: Record<string, number>[];
}

/** The inference service's log lines about one job (JSON lines, as pino writes them). */
export async function jobLog(logPath: string, jobId: string): Promise<JobLog> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  let intake: Record<string, number> | null = null;
  const runs: Record<string, number>[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(jobId)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const c = Created.safeParse(parsed);
    if (c.success && c.data.job_id === jobId) intake = c.data.ms;
    const f = Finished.safeParse(parsed);
    if (f.success && f.data.job_id === jobId) runs.push(f.data.ms);
  }
  return { intake, runs };
}

/** A counter or a histogram's _sum/_count from a Prometheus text page, summed over its label sets. */
export function metric(page: string, name: string): number {
  let total = 0;
  for (const line of page.split('\n')) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}
