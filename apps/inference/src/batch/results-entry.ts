import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** One file of a results ZIP, as a stream, with its uncompressed size for Content-Length. */
export interface ResultsEntry {
  readonly size: number;
  readonly stream: Readable;
}

/**
 * Opens `name` inside the results ZIP at `zipPath` and streams it out inflated, so a 50,000-row
 * results.csv is served without holding it in memory. Null when the ZIP has no such entry. The ZIP
 * is our own (results-writer.ts), so its declared sizes are trusted.
 */
export async function openResultsEntry(zipPath: string, name: string): Promise<ResultsEntry | null> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      return { size: entry.uncompressedSize, stream: await zip.openReadStreamPromise(entry) };
    }
    return null;
  } finally {
    // yauzl counts the open read stream: the file closes once that stream ends.
    zip.close();
  }
}
