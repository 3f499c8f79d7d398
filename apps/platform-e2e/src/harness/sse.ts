/** One server-sent event as it came: its `id:` line (null without one) and its `data:` text. */
export interface SseMessage {
  readonly id: string | null;
  readonly data: string;
}

/**
 * Reads a `text/event-stream` body until the server ends it (the job, study and benchmark streams
 * end after their final status). Events without a data line (comments, keep-alives) are skipped.
 */
export async function readSse(body: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let id: string | null = null;
      let data: string | null = null;
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data !== null) out.push({ id, data });
    }
  }
  return out;
}
