import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AuditEvent } from '@inkwell/contracts';
import { requestIdOf } from '@inkwell/http';
import type { Caller } from '../authn/authenticate';

const MAX_PATH = 200;
const MAX_USER_AGENT = 512;

export type AuditSink = (event: AuditEvent) => void;

/** The route template the request matched (`/api/models/:id`), else its path: denied requests never reach a route. */
function routeOf(req: Request): { route: string | null; path: string } {
  const path = (req.originalUrl.split('?')[0] ?? '').slice(0, MAX_PATH);
  const matched: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return { route: typeof matched === 'string' ? matched : null, path };
}

function actorOf(req: Request, res: Response): { actor: AuditEvent['actor']; ip: string; userAgent: string | null } {
  const caller = res.locals.caller as Caller | undefined;
  const ip = caller?.identity.ip ?? req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const userAgent = caller?.identity.user_agent ?? req.header('user-agent')?.slice(0, MAX_USER_AGENT) ?? null;
  if (!caller) return { actor: { kind: 'guest', id: null, email: null, role: null }, ip, userAgent };
  const i = caller.identity;
  return { actor: { kind: i.kind, id: i.sub, email: i.email, role: i.role }, ip, userAgent };
}

/**
 * One `api.call` audit event per API request: route, method, status, caller, duration. Mounted in
 * front of authentication, so refusals (401, 403, 429) are recorded as failures too. The event is
 * built when the response ends (or the client leaves: status 499) and handed to `sink`, which must
 * not block: the gateway batches them (AuditBatcher).
 */
export function auditApiCalls(sink: AuditSink, now: () => Date = () => new Date()): RequestHandler {
  return (req, res, next) => {
    const at = now();
    const started = performance.now();
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      const status = res.writableFinished ? res.statusCode : 499;
      const { route, path } = routeOf(req);
      const { actor, ip, userAgent } = actorOf(req, res);
      sink({
        id: randomUUID(),
        at: at.toISOString(),
        service: 'gateway',
        action: 'api.call',
        outcome: status < 400 ? 'success' : 'failure',
        actor,
        target: { type: 'route', id: `${req.method} ${route ?? path}` },
        ip,
        user_agent: userAgent,
        request_id: requestIdOf(res),
        details: { method: req.method, route, path, status, duration_ms: Math.round((performance.now() - started) * 1000) / 1000 },
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
