import yauzl from 'yauzl';
import { BATCH_RESULTS_FILES, BatchResultsJson, BatchSummaryFile } from '@inkwell/contracts';

export interface ResultsZip {
  /** Entry names, in the archive's order. */
  readonly names: readonly string[];
  /** results.csv split into rows of cells (RFC 4180 quoting undone); the header first. */
  readonly csv: string[][];
  readonly json: BatchResultsJson;
  readonly summary: BatchSummaryFile;
}

/** Splits CSV text (CRLF rows, "-quoted cells with "" escapes) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Reads a results ZIP the way a client would, checking each file against its contract. */
export async function readResultsZip(path: string): Promise<ResultsZip> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: true });
  const files = new Map<string, string>();
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) {
    names.push(entry.fileName);
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
  }
  const text = (name: string): string => {
    const t = files.get(name);
    if (t === undefined) throw new Error(`results ZIP has no ${name}`);
    return t;
  };
  return {
    names,
    csv: parseCsv(text(BATCH_RESULTS_FILES.csv)),
    json: BatchResultsJson.parse(JSON.parse(text(BATCH_RESULTS_FILES.json))),
    summary: BatchSummaryFile.parse(JSON.parse(text(BATCH_RESULTS_FILES.summary))),
  };
}
