import type { z } from 'zod';
import type { AccessLevel } from '../auth/roles';

export type ServiceName = 'auth' | 'inference' | 'trainer' | 'report' | 'audit';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One public route: the gateway registers exactly these (checking `access` before proxying to
 * `service`), and the OpenAPI document is generated from the same list, so they cannot disagree.
 * Paths use OpenAPI's `{param}` form.
 */
export interface RouteDef {
  readonly method: HttpMethod;
  readonly path: string;
  readonly service: ServiceName;
  readonly access: AccessLevel;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** multipart/form-data uploads: field names, documented as binary. */
  readonly multipart?: { readonly fields: Readonly<Record<string, z.ZodType>>; readonly files: readonly string[] };
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string }>>;
  /**
   * A session signed in with a temporary password (its access token carries `pwc`) may call this
   * route; on every other route the gateway answers 403 `password_change_required`.
   */
  readonly allowDuringPasswordChange?: true;
  /** How long the gateway waits for the service to answer this route, when longer than UPSTREAM_TIMEOUT_MS. */
  readonly upstreamTimeoutMs?: number;
}

export const defineRoutes = <T extends readonly RouteDef[]>(routes: T): T => routes;
