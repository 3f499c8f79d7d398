import { AUTH_ROUTES } from './auth-routes';
import { DATASET_ROUTES } from './dataset-routes';
import { INFERENCE_ROUTES } from './inference-routes';
import { TRAINING_ROUTES } from './training-routes';
import type { RouteDef } from './route-def';

/** Every public route of the platform. Each feature adds its service's list here. */
export const PUBLIC_ROUTES: readonly RouteDef[] = [...AUTH_ROUTES, ...INFERENCE_ROUTES, ...DATASET_ROUTES, ...TRAINING_ROUTES];
