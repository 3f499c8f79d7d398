import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { MANIFEST_FILE, METRICS_FILE, MODEL_FILE } from './model-folder';

/** What an exported model ZIP holds, in this order, at its top level. */
export const EXPORT_ZIP_ENTRIES = [MODEL_FILE, MANIFEST_FILE, METRICS_FILE] as const;

interface PlannedEntry {
  readonly name: string;
  readonly size: number;
  readonly mtime: Date;
  /** The file's path, or its bytes when the caller supplies them (see ModelZipOptions). */
  readonly source: string | Buffer;
}

export interface ModelZipOptions {
  /**
   * metrics.json's bytes when the folder has none (a version scored after registration keeps its
   * evaluation in the registry, not in its folder); the folder's file wins when it exists.
   */
  readonly metricsFallback?: Buffer;
}

/** A model folder's export, sized before a byte is streamed. */
export interface ModelZip {
  /** Exact byte length of what `open()` streams: the `Content-Length` of a GET and of a HEAD. */
  readonly size: number;
  /** A fresh stream of the ZIP. It errors (rather than ending short) if a file changed size since planning. */
  open(): Readable;
}

/**
 * Plans the ZIP of `<dir>/{model.onnx, manifest.json, metrics.json}`. Entries are stored, not
 * deflated (an ONNX file of float weights barely compresses), and every size is known up front,
 * which lets yazl compute the archive's exact length before streaming it: a HEAD can answer
 * Content-Length, and a GET can send it, without the ZIP ever being buffered or written to disk.
 * Each entry carries its file's mtime, so the same folder always gives the same bytes.
 */
export async function planModelZip(dir: string, options: ModelZipOptions = {}): Promise<ModelZip> {
  const entries: PlannedEntry[] = [];
  for (const name of EXPORT_ZIP_ENTRIES) {
    const path = join(dir, name);
    const st = await stat(path).catch(() => null);
    const fallback = name === METRICS_FILE ? options.metricsFallback : undefined;
    if (st?.isFile()) entries.push({ name, source: path, size: st.size, mtime: st.mtime });
    else if (fallback) entries.push({ name, source: fallback, size: fallback.length, mtime: entries[0]?.mtime ?? new Date(0) });
    else throw new Error(`cannot export ${dir}: ${name} is missing`);
  }
  // A dry run whose file streams are never asked for: yazl pumps eagerly, so its first entry's
  // stream getter is called at once; leaving that callback unanswered opens no file and the
  // unread archive is simply dropped.
  const size = await zipSize(buildZip(entries, () => undefined));
  return { size, open: () => openZip(entries) };
}

type StreamGetter = (entry: PlannedEntry, cb: (err: Error | null, stream: NodeJS.ReadableStream) => void) => void;

function buildZip(entries: readonly PlannedEntry[], getStream: StreamGetter): ZipFile {
  const zip = new ZipFile();
  for (const e of entries) {
    zip.addReadStreamLazy(e.name, { size: e.size, compress: false, mtime: e.mtime, mode: 0o100644 }, (cb) => getStream(e, cb));
  }
  return zip;
}

function zipSize(zip: ZipFile): Promise<number> {
  return new Promise((resolve, reject) => {
    // @types/yazl declares the callback without its argument; yazl passes the size (or -1 when unknowable).
    zip.end(undefined, (...args: unknown[]) => {
      const size = args[0];
      if (typeof size === 'number' && size >= 0) resolve(size);
      else reject(new Error('ZIP size is not computable (an entry without a known size or with compression)'));
    });
  });
}

function openZip(entries: readonly PlannedEntry[]): Readable {
  const out = new PassThrough();
  const fail = (err: Error): void => {
    out.destroy(err);
  };
  const zip = buildZip(entries, (e, cb) => {
    const file = typeof e.source === 'string' ? createReadStream(e.source) : Readable.from([e.source]);
    // yazl pipes the file without listening for its errors (a file removed mid-download).
    file.on('error', fail);
    cb(null, file);
  });
  // e.g. "file data stream has unexpected number of bytes" when a file changed after planning.
  zip.on('error', fail);
  zip.end();
  pipeline(zip.outputStream, out, (err) => {
    if (err) fail(err);
  });
  return out;
}
