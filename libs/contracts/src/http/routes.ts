import { ACTIVATION_ROUTES } from './activation-routes';
import { AUDIT_ROUTES } from './audit-routes';
import { AUTH_ROUTES } from './auth-routes';
import { BATCH_ROUTES } from './batch-routes';
import { DATASET_ROUTES } from './dataset-routes';
import { INFERENCE_ROUTES } from './inference-routes';
import { MODEL_IO_ROUTES } from './model-io-routes';
import { MODEL_ROUTES } from './model-routes';
import { TRAINING_ROUTES } from './training-routes';
import { TUNING_ROUTES } from './tuning-routes';
import type { RouteDef } from './route-def';

/** Every public route of the platform. Each feature adds its service's list here. */
export const PUBLIC_ROUTES: readonly RouteDef[] = [...AUTH_ROUTES, ...INFERENCE_ROUTES, ...DATASET_ROUTES, ...TRAINING_ROUTES, ...ACTIVATION_ROUTES, ...MODEL_IO_ROUTES, ...MODEL_ROUTES, ...AUDIT_ROUTES, ...BATCH_ROUTES, ...TUNING_ROUTES];
