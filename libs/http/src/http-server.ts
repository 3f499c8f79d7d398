import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

/** Request head the gateway takes from clients (Node's default). */
export const PUBLIC_MAX_HEADER_BYTES = 16 * 1024;
/**
 * Request head the services take: the gateway forwards a client's headers plus its own (the signed
 * identity, X-Forwarded-*), so a service must accept more than the gateway does, or a request the
 * gateway let in would fail one hop later.
 */
export const INTERNAL_MAX_HEADER_BYTES = 32 * 1024;

export interface HttpServerOptions {
  readonly maxHeaderSize: number;
  readonly logger?: Logger;
}

// Errors Node's parser raises before a request exists; anything else it rejects is malformed.
const PARSER_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

const messageFor = (code: ErrorCode, maxHeaderSize: number): string =>
  code === 'headers_too_large' ? `The request line and headers exceed ${maxHeaderSize / 1024} KB`
  : code === 'too_large' ? 'Request is too large'
  : code === 'request_timeout' ? 'The request did not arrive in time'
  : 'Malformed HTTP request';

/** The one error body, serialised, for answers written before express has a request. */
const errorJson = (code: ErrorCode, message: string): { json: string; requestId: string } => {
  const body: ErrorBody = { code, message, request_id: randomUUID() };
  return { json: JSON.stringify(body), requestId: body.request_id };
};

/**
 * Why a parsed request's framing or target cannot be trusted, or null. Node's parser already
 * refuses Content-Length with Transfer-Encoding, duplicate lengths, a coding list not ending in
 * chunked and obs-folded headers (those reach `clientError`); what it lets through is refused here:
 * a coding besides chunked (a proxy would pass it on undecoded), Transfer-Encoding in HTTP/1.0
 * (RFC 9112 §6.1: faulty framing) and a target that is not a path (absolute-form `GET http://…`,
 * asterisk-form), which the gateway must never forward.
 */
function requestProblem(req: IncomingMessage): string | null {
  if (!req.url?.startsWith('/')) return 'The request target must be a path starting with /';
  const coding = req.headers['transfer-encoding'];
  if (coding === undefined) return null;
  if (req.httpVersion !== '1.1') return `Transfer-Encoding is not allowed in HTTP/${req.httpVersion}`;
  if (coding.trim().toLowerCase() !== 'chunked') return 'Transfer-Encoding must be chunked';
  return null;
}

/** Answers in the error body and closes: the connection's framing (or its request) is not trusted. */
function refuse(res: ServerResponse, message: string): void {
  const { json } = errorJson('validation_failed', message);
  res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), Connection: 'close' }).end(json);
}

/** What `clientError` sockets carry of the response in progress (Node sets it; it is not typed). */
interface HttpSocket extends Duplex {
  _httpMessage?: { headersSent?: boolean } | null;
}

/**
 * An HTTP server for an express app whose protocol-level refusals (a malformed request line,
 * headers over the limit, a client too slow to send its request) answer in the platform's one
 * error body, as everything after parsing does, instead of Node's bare status line.
 */
export function createHttpServer(app: Express, opts: HttpServerOptions): Server {
  // Node answers a missing Host with a bare 400 of its own; this answers it in the error body.
  const server = createServer({ maxHeaderSize: opts.maxHeaderSize, requireHostHeader: false }, (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) return refuse(res, 'An HTTP/1.1 request must carry a Host header');
    const problem = requestProblem(req);
    if (problem !== null) return refuse(res, problem);
    app(req, res);
  });
  // Node keeps only the first 1,000 headers by default and drops the rest (Host among them, if it
  // came late); maxHeaderSize already bounds the head, so keep them all.
  server.maxHeadersCount = 0;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: HttpSocket) => {
    // As Node's own handler: never write into a response already under way, or to a closed socket.
    if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent === true) {
      socket.destroy();
      return;
    }
    const code = PARSER_ERROR_CODES[err.code ?? ''] ?? 'validation_failed';
    const status = ERROR_STATUS[code];
    const { json, requestId } = errorJson(code, messageFor(code, opts.maxHeaderSize));
    opts.logger?.debug({ err_code: err.code, code, request_id: requestId }, 'refused a malformed request');
    // Destroyed once written, as Node's own handler does: `end` alone would leave the socket
    // half-open for as long as the client keeps its side, which no server timeout reaps.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      () => socket.destroy(),
    );
    setTimeout(() => socket.destroy(), 1000).unref(); // a client that does not read the reply
  });
  return server;
}
