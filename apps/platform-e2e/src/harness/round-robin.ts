import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { joinSockets } from './tcp-pipe';

/**
 * A TCP hop that hands each new connection to the next of several upstreams in turn: the
 * gateway's one INFERENCE_URL in front of several inference replicas, as a Kubernetes Service
 * spreads connections over pods.
 */
export class RoundRobinBalancer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  constructor(private readonly targets: readonly URL[]) {}

  async start(): Promise<string> {
    this.server = createServer((client) => {
      const target = this.targets[this.next++ % this.targets.length];
      if (!target) return client.destroy();
      const upstream = connect(Number(target.port), target.hostname);
      joinSockets(client, upstream, this.sockets);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
