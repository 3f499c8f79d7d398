import type { Readable } from 'node:stream';

/** A stored blob: its SHA-256 (hex) is its address. */
export interface BlobRef {
  readonly hash: string;
  readonly size: number;
}

/**
 * Where the trainer keeps artifacts (dataset files, normalized copies, later models), addressed by
 * content hash so the same bytes are stored once. The local-filesystem store serves development
 * and single-node installs; an S3-compatible store is the production option and implements this
 * same interface (`path` then downloads to a local cache, as the dataset readers need files).
 */
export interface BlobStore {
  /** Streams `body` in while hashing it; refuses (`too_large`, nothing kept) past `maxBytes`. */
  put(body: Readable, options?: { readonly maxBytes?: number }): Promise<BlobRef>;
  /** Stores a file already on local disk (a job's output), moving or copying it in. */
  putFile(path: string): Promise<BlobRef>;
  open(hash: string): Readable;
  /** A local path to read the blob from (the dataset readers work on files). */
  path(hash: string): Promise<string>;
  exists(hash: string): Promise<boolean>;
  delete(hash: string): Promise<void>;
}
