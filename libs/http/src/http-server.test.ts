import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server';

// Answers what it parsed, so a test sees whether a request got past the server layer.
const app = express();
app.use((req, res) => {
  req.resume();
  req.on('end', () => res.json({ method: req.method, url: req.originalUrl }));
});
const server = createHttpServer(app, { maxHeaderSize: 1024 });
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const connections = (): Promise<number> => new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

/** Sends a head and reads the reply, keeping this side open (a client that never closes). */
function exchange(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(head));
    let reply = '';
    socket.on('data', (c: Buffer) => (reply += c.toString()));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('createHttpServer', () => {
  it('answers a malformed request in the error body and closes the connection, even if the client keeps its side open', async () => {
    const reply = await exchange('GET / HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'validation_failed', request_id: expect.any(String) });
    for (const start = Date.now(); (await connections()) > 0 && Date.now() - start < 3000; ) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
  });

  it('answers a head over the limit with 431 headers_too_large', async () => {
    const reply = await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(2048)}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect(reply).toContain('"code":"headers_too_large"');
  });

  it('answers ambiguous or unsupported framing with 400 in the error body and closes the connection', async () => {
    const heads = {
      'Content-Length and Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'two Content-Lengths': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde',
      'a coding list not ending in chunked': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
      'a coding besides chunked': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n',
      'Transfer-Encoding twice': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'Transfer-Encoding in HTTP/1.0': 'POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'an obs-folded Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n',
    };
    for (const [what, head] of Object.entries(heads)) {
      const reply = await exchange(head);
      expect([what, reply.slice(0, 12)]).toEqual([what, 'HTTP/1.1 400']);
      expect(reply).toMatch(/\r\nConnection: close\r\n/i);
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'validation_failed', request_id: expect.any(String) });
    }
  });

  it('answers a target that is not a path (absolute-form, asterisk) with 400, before the app sees it', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data/', 'https://x/', '*']) {
      const reply = await exchange(`OPTIONS ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect([target, reply.slice(0, 12)]).toEqual([target, 'HTTP/1.1 400']);
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('passes a chunked body and a path target through', async () => {
    const reply = await exchange('POST /a?b=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n');
    expect(reply.slice(0, 12)).toBe('HTTP/1.1 200');
    expect(reply).toContain('{"method":"POST","url":"/a?b=1"}');
  });
});
