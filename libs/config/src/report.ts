import type { z } from 'zod';
import { host, port } from './env-types';
import { CommonEnv } from './common';

/** The report service; its own settings arrive with its features. */
export const ReportEnv = CommonEnv.extend({ REPORT_PORT: port(8084), REPORT_HOST: host() });
export type ReportEnv = z.infer<typeof ReportEnv>;
