import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError, IDENTITY_HEADER, type ServiceName } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { requestIdOf } from '@inkwell/http';
import { callerOf } from '../authn/authenticate';

// Hop-by-hop headers (RFC 9110 §7.6.1) and credentials services must not see: they trust only
// the gateway's signed identity.
const STRIP_REQUEST = new Set(['connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'x-api-key', IDENTITY_HEADER]);
const STRIP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'x-request-id', 'x-powered-by']);

export interface Upstream {
  readonly name: ServiceName;
  readonly url: URL;
}

/**
 * Streams the request to a service and its answer back, without buffering bodies (uploads can be
 * megabytes). A service that is down is `503 service_unavailable` at once; one that does not
 * answer in time is `504 timeout`, a client whose body stalls as long `408 request_timeout`; the
 * client leaving aborts the upstream call.
 */
export function proxyTo(upstream: Upstream, secret: string, timeoutMs: number): RequestHandler {
  const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });
  return (req, res, next) => {
    const { identity } = callerOf(res);
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!STRIP_REQUEST.has(k)) headers[k] = v;
    headers[IDENTITY_HEADER] = signIdentity(identity, secret);
    headers['x-request-id'] = requestIdOf(res);
    headers['x-forwarded-for'] = [req.header('x-forwarded-for'), req.socket.remoteAddress].filter(Boolean).join(', ');
    headers['x-forwarded-proto'] = req.protocol;

    const up = request({ protocol: upstream.url.protocol, hostname: upstream.url.hostname, port: upstream.url.port, method: req.method, path: req.originalUrl, headers, agent, timeout: timeoutMs });
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      if (res.headersSent) res.destroy();
      else next(err);
    };
    up.on('response', (ur) => {
      for (const [k, v] of Object.entries(ur.headers)) if (v !== undefined && !STRIP_RESPONSE.has(k)) res.setHeader(k, v);
      res.status(ur.statusCode ?? 502);
      ur.pipe(res);
      ur.on('error', () => res.destroy());
      settled = true;
      if (!req.complete) {
        // The service answered before taking the whole body (a refusal: queue full, too large).
        // Stop forwarding, read and drop the rest so the client can finish sending and keep its
        // connection; the upstream connection, left mid-body, cannot be reused.
        req.unpipe(up);
        req.resume();
        ur.once('end', () => up.destroy());
      }
    });
    up.on('timeout', () => {
      // The upstream socket also idles while the client is still sending: that wait is the client's,
      // unless the service stopped reading (then the pipe is full and paused the client, not idle).
      const clientStalled = !req.complete && !up.writableNeedDrain;
      up.destroy();
      if (clientStalled) fail(new AppError('request_timeout', `The request body stopped arriving for ${timeoutMs} ms`, undefined, { Connection: 'close' }));
      else fail(new AppError('timeout', `${upstream.name} did not answer within ${timeoutMs} ms`));
    });
    up.on('error', () => fail(new AppError('service_unavailable', `${upstream.name} is unavailable`)));
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  };
}
