import type { Socket } from 'node:net';

/**
 * Joins a client connection to its upstream both ways, each tracked in `sockets` while open (so a
 * hop can destroy them all when it closes or cuts); either side closing or failing ends the other.
 */
export function joinSockets(client: Socket, upstream: Socket, sockets: Set<Socket>): void {
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  }
  client.pipe(upstream).pipe(client);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
}
