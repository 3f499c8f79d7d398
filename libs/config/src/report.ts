import { z } from 'zod';
import { host, int, port, url } from './env-types';
import { CommonEnv } from './common';

/** The report service: where it fetches a report's inputs (the trainer's registry and benchmarks). */
export const ReportEnv = CommonEnv.extend({
  REPORT_PORT: port(8084),
  REPORT_HOST: host(),
  /** The trainer's base URL: the registry's compare and version records, and benchmark records. */
  REPORT_TRAINER_URL: url('http://127.0.0.1:8083'),
  /** How long one call to the trainer may take before the render attempt fails (and is retried). */
  REPORT_TRAINER_TIMEOUT_MS: int(30_000, 100),
  /** DejaVuSans.ttf and DejaVuSans-Bold.ttf, embedded in every PDF (relative to the working directory). */
  REPORT_FONT_DIR: z.string().min(1).default('apps/report/assets/fonts'),
});
export type ReportEnv = z.infer<typeof ReportEnv>;
