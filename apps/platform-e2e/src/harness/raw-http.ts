import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  /** The status line and headers, as sent. */
  readonly head: string;
  readonly body: string;
}

/**
 * Writes bytes as they are (no HTTP client would send them) on a new connection to `url`'s host
 * and port, and reads until the server closes the connection.
 */
export function sendRaw(url: string, bytes: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: split >= 0 ? text.slice(0, split) : text, body: split >= 0 ? text.slice(split + 4) : '' });
    });
  });
}
