import { ACTIVATION_ROUTES } from './activation-routes';
import { AUDIT_ROUTES } from './audit-routes';
import { AUTH_ROUTES } from './auth-routes';
import { BATCH_ROUTES } from './batch-routes';
import { BENCHMARK_ROUTES } from './benchmark-routes';
import { DATASET_ROUTES } from './dataset-routes';
import { INFERENCE_ROUTES } from './inference-routes';
import { MODEL_IO_ROUTES } from './model-io-routes';
import { MODEL_ROUTES } from './model-routes';
import { REPORT_ROUTES } from './report-routes';
import { TRAINING_ROUTES } from './training-routes';
import { TUNING_ROUTES } from './tuning-routes';
import type { RouteDef } from './route-def';

/** Every public route of the platform. Each feature adds its service's list here. */
export const PUBLIC_ROUTES: readonly RouteDef[] = [...AUTH_ROUTES, ...INFERENCE_ROUTES, ...DATASET_ROUTES, ...TRAINING_ROUTES, ...ACTIVATION_ROUTES, ...MODEL_IO_ROUTES, ...MODEL_ROUTES, ...AUDIT_ROUTES, ...BATCH_ROUTES, ...TUNING_ROUTES, ...BENCHMARK_ROUTES, ...REPORT_ROUTES];

/**
 * The same routes as literal types (method, path, schemas), so a client can be typed by the table:
 * the web app's API client accepts only these method/path pairs.
 */
export type PublicRoute =
  | (typeof AUTH_ROUTES)[number]
  | (typeof INFERENCE_ROUTES)[number]
  | (typeof DATASET_ROUTES)[number]
  | (typeof TRAINING_ROUTES)[number]
  | (typeof ACTIVATION_ROUTES)[number]
  | (typeof MODEL_IO_ROUTES)[number]
  | (typeof MODEL_ROUTES)[number]
  | (typeof AUDIT_ROUTES)[number]
  | (typeof BATCH_ROUTES)[number]
  | (typeof TUNING_ROUTES)[number]
  | (typeof BENCHMARK_ROUTES)[number]
  | (typeof REPORT_ROUTES)[number];

const templates = new Map<RouteDef, RegExp>();
const templateOf = (route: RouteDef): RegExp => {
  let re = templates.get(route);
  if (!re) {
    const escaped = route.path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`^${escaped.join('[^/]+')}$`);
    templates.set(route, re);
  }
  return re;
};

/**
 * The route a concrete request (method, path without the query) falls under, or null. Literal
 * paths win over templated ones (`/api/models/compare` before `/api/models/{id}`), as in the table's order.
 */
export function matchRoute(method: string, path: string): RouteDef | null {
  const m = method.toLowerCase();
  const candidates = PUBLIC_ROUTES.filter((r) => r.method === m && templateOf(r).test(path));
  return candidates.find((r) => !r.path.includes('{')) ?? candidates[0] ?? null;
}
