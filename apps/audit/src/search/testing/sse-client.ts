/** One server-sent message: an event (`id`, `event`, `data`), or a comment line (a heartbeat). */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
  readonly retry?: string;
}

/**
 * Reads an event stream as a browser's EventSource would, one message at a time, for tests:
 * `next` waits (up to a timeout) for the next message.
 */
export class SseClient {
  private buffer = '';
  private readonly messages: SseMessage[] = [];
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private ended = false;
  /** A read still waiting when a timeout won the race: the next wait takes it over, so no chunk is lost. */
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | null = null;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    if (!response.body) throw new Error('the stream has no body');
    this.reader = response.body.getReader();
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    return new SseClient(res, abort);
  }

  /** The next message, or an error after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.messages.shift();
      if (m) return m;
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), left);
      });
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, timeout]);
      clearTimeout(timer);
      if (chunk === null) continue;
      this.pending = null;
      if (chunk.done) this.ended = true;
      else this.take(this.decoder.decode(chunk.value, { stream: true }));
    }
  }

  /** The next message that is an event (heartbeats and `retry` skipped). */
  async nextEvent(timeoutMs = 5_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (m.data !== undefined) return m;
    }
  }

  close(): void {
    // A read still waiting fails with the abort; nobody needs its outcome.
    this.pending?.catch(() => undefined);
    this.abort.abort();
  }

  private take(text: string): void {
    this.buffer += text;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const m: { -readonly [K in keyof SseMessage]: SseMessage[K] } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) m.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') m.id = value;
          else if (field === 'event') m.event = value;
          else if (field === 'data') m.data = m.data === undefined ? value : `${m.data}\n${value}`;
          else if (field === 'retry') m.retry = value;
        }
      }
      this.messages.push(m);
      end = this.buffer.indexOf('\n\n');
    }
  }
}
