import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server';

const server = createHttpServer(express(), { maxHeaderSize: 1024 });
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
});
