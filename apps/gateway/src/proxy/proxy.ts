import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler } from 'express';
import { AppError, IDENTITY_HEADER, type ServiceName } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { requestIdOf } from '@inkwell/http';
import { callerOf } from '../authn/authenticate';

// Hop-by-hop headers (RFC 9110 §7.6.1) and credentials services must not see: they trust only
// the gateway's signed identity.
// The framing headers are set again from what the gateway parsed (see framingOf).
const STRIP_REQUEST = new Set(['connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'content-length', 'upgrade', 'host', 'authorization', 'x-api-key', IDENTITY_HEADER]);
const STRIP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'x-request-id', 'x-powered-by']);

/**
 * Methods whose requests may carry a body. Node's client frames a body it is given on any other
 * method (GET, HEAD, DELETE, OPTIONS, TRACE) with neither Content-Length nor chunking, so the bytes
 * would land raw on the pooled keep-alive connection and the service would read them as the start
 * of the next caller's request (request smuggling). Such a body is refused, never forwarded.
 */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * How a client framed its body. Node's parser already refuses both Content-Length and
 * Transfer-Encoding, duplicate lengths and a coding list not ending in chunked; any coding besides
 * chunked (`gzip, chunked`) is refused here too, as the service would get the bytes undecoded.
 */
type Framing = { readonly kind: 'none' | 'chunked' | 'unsupported' } | { readonly kind: 'length'; readonly length: string };

function framingOf(req: Request): Framing {
  const coding = req.headers['transfer-encoding'];
  if (coding !== undefined) return coding.trim().toLowerCase() === 'chunked' ? { kind: 'chunked' } : { kind: 'unsupported' };
  const length = req.headers['content-length'];
  return length === undefined || Number(length) === 0 ? { kind: 'none' } : { kind: 'length', length };
}

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

/**
 * How long a pooled connection to a service may stay idle: under Node's default server keep-alive
 * timeout (5 s), so the gateway drops a connection before any Node service can close it. A request
 * sent on a connection the service is closing at that instant fails with ECONNRESET, and the
 * request, body already streamed, cannot be replayed (seen as a rare 503 on sign-in in CI).
 */
const POOL_IDLE_MS = 4_000;

/**
 * Node's agent keeps idle sockets forever unless it is given `timeout`, and with `timeout` it
 * leaves a reused socket at the server's Keep-Alive hint instead of the request's own timeout
 * (a 10-minute batch upload would then time out after the hint). So the idle bound is set here,
 * when a socket goes back to the pool; the agent's own listener destroys a pooled socket when it
 * fires, and a request that takes the socket sets its own timeout again.
 */
class PoolAgent extends Agent {
  constructor() {
    super({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });
  }

  // @types/node says void; Node reads the boolean (false: destroy rather than pool the socket).
  override keepSocketAlive(socket: Duplex): boolean {
    const pooled: unknown = super.keepSocketAlive(socket);
    if (pooled === false) return false;
    if (socket instanceof Socket) socket.setTimeout(POOL_IDLE_MS);
    return true;
  }
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
  // Without a request timeout, Node would leave a reused socket at the pool's idle bound.
  if (!(timeoutMs > 0)) throw new Error(`proxy timeout for ${upstream.name} must be positive, got ${timeoutMs}`);
  const agent = new PoolAgent();
  return (req, res, next) => {
    const framing = framingOf(req);
    if (framing.kind === 'unsupported') {
      next(new AppError('validation_failed', 'Transfer-Encoding must be chunked', undefined, { Connection: 'close' }));
      return;
    }
    if (framing.kind !== 'none' && !BODY_METHODS.has(req.method)) {
      // Closed after the answer: the unread body is never parsed as a request of this connection.
      next(new AppError('validation_failed', `A ${req.method} request must not carry a body`, undefined, { Connection: 'close' }));
      return;
    }
    // createHttpServer refuses any other target; this keeps an absolute URL from ever reaching a service.
    if (!req.originalUrl.startsWith('/')) {
      next(new AppError('validation_failed', 'The request target must be a path', undefined, { Connection: 'close' }));
      return;
    }
    const { identity } = callerOf(res);
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!STRIP_REQUEST.has(k)) headers[k] = v;
    // Explicit framing for every body, never left to the client library's per-method defaults.
    if (framing.kind === 'length') headers['content-length'] = framing.length;
    if (framing.kind === 'chunked') headers['transfer-encoding'] = 'chunked';
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
    if (framing.kind === 'none') {
      // Nothing to forward; the client's connection stays in step as its request had no body.
      req.resume();
      up.end();
    } else req.pipe(up);
  };
}
