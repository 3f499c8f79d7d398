import type { z } from 'zod';
import { host, port } from './env-types';
import { CommonEnv } from './common';

/** The audit service; its own settings arrive with its features. */
export const AuditEnv = CommonEnv.extend({ AUDIT_PORT: port(8085), AUDIT_HOST: host() });
export type AuditEnv = z.infer<typeof AuditEnv>;
