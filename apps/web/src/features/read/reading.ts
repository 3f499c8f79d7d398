import type { ReadResponse } from '@inkwell/contracts';

/** One answer of `/v1/read` with what it was an answer to: the downloads carry all three. */
export interface Reading {
  readonly response: ReadResponse;
  readonly fileName: string;
  /** When the answer arrived (ISO 8601). */
  readonly readAt: string;
}

/** A probability as a percentage with one decimal (0.9731 -> "97.3"). */
export const percent = (p: number): string => (p * 100).toFixed(1);

/** The three likeliest digits, likeliest first (ties: the smaller digit), as /api/predict's top3. */
export const topThree = (probs: readonly number[]): { digit: number; prob: number }[] =>
  probs
    .map((prob, digit) => ({ digit, prob }))
    .sort((a, b) => b.prob - a.prob || a.digit - b.digit)
    .slice(0, 3);

/** The JSON download: the server's answer as it came, plus the file name and the time. */
export const readingJson = (r: Reading): ReadResponse & { file_name: string; read_at: string } => ({ ...r.response, file_name: r.fileName, read_at: r.readAt });

/** A download name that names the digit and the moment (no characters a file system refuses). */
export const downloadName = (r: Reading, ext: 'json' | 'pdf'): string => `inkwell-digit-${r.response.digit}-${r.readAt.replace(/[:.]/g, '-')}.${ext}`;

/** The processed 28x28 PNG's bytes, when the server sent one. */
export function visualPng(r: Reading): Uint8Array | null {
  const b64 = r.response.visual_png_b64;
  if (!b64) return null;
  const raw = atob(b64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Saves `blob` as `name` through a temporary object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the URL only after click() returns; a minute is ample and frees the memory after.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
