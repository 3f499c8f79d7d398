import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { AppError, IDENTITY_HEADER, type ServiceName } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { requestIdOf } from '@inkwell/http';
import { callerOf } from '../authn/authenticate';

// Hop-by-hop headers (RFC 9110 §7.6.1) and credentials services must not see: they trust only
// the gateway's signed identity.
const STRIP_REQUEST = new Set(['connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'x-api-key', IDENTITY_HEADER]);
const STRIP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'x-request-id', 'x-powered-by']);

/** Most of an unwanted body the gateway reads and drops to keep a client's connection (see dropRest). */
const DROP_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads and drops the rest of a body the service did not want, so a client that finishes sending
 * keeps its connection (closing it while the client still sends can make the client lose the
 * answer). A client still sending after `ms`, or past DROP_MAX_BYTES, loses the connection.
 */
function dropRest(req: Request, ms: number): void {
  let bytes = 0;
  const cut = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cut, ms);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DROP_MAX_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

export interface Upstream {
  readonly name: ServiceName;
  readonly url: URL;
}

/**
 * Streams the request to a service and its answer back, without buffering bodies (uploads can be
 * megabytes). A service that is down is `503 service_unavailable` at once; one that does not
 * answer in time is `504 timeout`, a client whose body stalls as long `408 request_timeout`; the
 * client leaving aborts the upstream call. A service that answers before reading the whole body
 * gets no more of it; the gateway drops the rest (see dropRest).
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
        // Stop forwarding; the upstream connection, left mid-body, cannot be reused.
        req.unpipe(up);
        dropRest(req, timeoutMs);
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
