import { AuditEnv } from './audit';
import { AuthEnv } from './auth';
import { GatewayEnv } from './gateway';
import { InferenceEnv } from './inference';
import { ReportEnv } from './report';
import { TrainerEnv } from './trainer';

/** Every service's schema: `.env.example` documents exactly the variables these read (a test checks both ways). */
export const ALL_ENV_SCHEMAS = { GatewayEnv, AuthEnv, InferenceEnv, TrainerEnv, ReportEnv, AuditEnv } as const;
