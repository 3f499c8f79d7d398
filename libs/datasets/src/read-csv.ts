import { createInterface } from 'node:readline';
import { parseCsvDigitRow } from '@inkwell/ml-data';
import { openMaybeGzip } from './byte-reader';
import { IMAGE_BYTES, type RecordEvent, problemEvent } from './digit-record';

/**
 * Streams a `label,p0..p783` CSV line by line (readline holds one line at a time). Rows are
 * numbered by their line in the file, 1-based, the header included, as an editor shows them.
 * Blank lines are skipped.
 */
export async function* readCsv(path: string, header: boolean): AsyncGenerator<RecordEvent> {
  const { stream } = await openMaybeGzip(path);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const pixels = new Uint8Array(IMAGE_BYTES);
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if ((lineNo === 1 && header) || line.trim() === '') continue;
      const parsed = parseCsvDigitRow(line, pixels);
      if (typeof parsed === 'number') {
        yield { type: 'record', record: { row: lineNo, file: null, label: parsed, pixels } };
      } else {
        yield problemEvent({ kind: parsed.kind, row: lineNo, file: null, message: `line ${lineNo}: ${parsed.message}` });
      }
    }
  } catch (err) {
    yield problemEvent({ kind: 'truncated', row: lineNo + 1, file: null, message: `the file could not be read past line ${lineNo}: ${(err as Error).message}` });
  } finally {
    lines.close();
    stream.destroy();
  }
}
