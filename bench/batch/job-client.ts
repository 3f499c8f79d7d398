import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import { BATCH_ARCHIVE_FIELD, BATCH_RESULTS_CSV_COLUMNS, BATCH_RESULTS_FILES, BatchCreated, BatchJob, BatchJobEvent, type BatchCreated as Created, type BatchJob as Job } from '@inkwell/contracts';
import { labelOf } from './digit-zip';

/** POST /api/batch with the ZIP in `archive`, as an integrator's client would send it. */
export async function uploadZip(gatewayUrl: string, headers: Record<string, string>, zipPath: string): Promise<Created> {
  const zip = await readFile(zipPath);
  const boundary = `----inkwell-bench-batch-${zip.length}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${BATCH_ARCHIVE_FIELD}"; filename="digits.zip"\r\nContent-Type: application/zip\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const res = await fetch(`${gatewayUrl}/api/batch`, { method: 'POST', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat([head, zip, tail]) });
  if (res.status !== 202) throw new Error(`POST /api/batch answered ${res.status}: ${await res.text()}`);
  return BatchCreated.parse(await res.json());
}

/**
 * Follows the job's SSE stream until its final `status` event; `onProgress` sees each progress
 * event. The stream's own poll (500 ms) bounds how late the end is seen.
 */
export async function followJob(gatewayUrl: string, headers: Record<string, string>, jobId: string, onProgress: (job: Job) => void): Promise<Job> {
  const res = await fetch(`${gatewayUrl}/api/batch/${jobId}/events`, { headers: { ...headers, accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/batch/${jobId}/events answered ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue; // a keep-alive comment
      const event = BatchJobEvent.parse(JSON.parse(data.slice(6)));
      if (event.type === 'status') return event.job;
      onProgress(event.job);
    }
  }
  // The stream ended without a final event (a restart): the row says where the job is.
  const now = await fetch(`${gatewayUrl}/api/batch/${jobId}`, { headers });
  return BatchJob.parse(await now.json());
}

export interface ResultsCheck {
  readonly zipBytes: number;
  readonly rows: number;
  readonly done: number;
  readonly errors: Record<string, number>;
  /** Rows whose digit equals the label in the generated name. */
  readonly correct: number;
  readonly labelled: number;
}

/** Downloads results.zip and reads its results.csv: row count, errors by code, answers against the labels. */
export async function checkResults(gatewayUrl: string, headers: Record<string, string>, jobId: string): Promise<ResultsCheck> {
  const res = await fetch(`${gatewayUrl}/api/batch/${jobId}/results`, { headers });
  if (res.status !== 200) throw new Error(`GET /api/batch/${jobId}/results answered ${res.status}: ${await res.text()}`);
  const zip = Buffer.from(await res.arrayBuffer());
  const csv = await entryText(zip, BATCH_RESULTS_FILES.csv);
  const lines = csv.split('\n').filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').split(',');
  const col = (name: (typeof BATCH_RESULTS_CSV_COLUMNS)[number]): number => header.indexOf(name);
  const [iName, iStatus, iDigit, iError] = [col('name'), col('status'), col('digit'), col('error_code')];
  let done = 0;
  let correct = 0;
  let labelled = 0;
  const errors: Record<string, number> = {};
  for (const line of lines) {
    // The generated names hold no comma or quote, so a plain split reads every row.
    const cells = line.split(',');
    const label = labelOf(cells[iName] ?? '');
    if (cells[iStatus] === 'done') {
      done++;
      if (label !== null) {
        labelled++;
        if (Number(cells[iDigit]) === label) correct++;
      }
    } else {
      const code = cells[iError] ?? '?';
      errors[code] = (errors[code] ?? 0) + 1;
    }
  }
  return { zipBytes: zip.length, rows: lines.length, done, errors, correct, labelled };
}

async function entryText(zip: Buffer, name: string): Promise<string> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  try {
    for await (const entry of file.eachEntry()) {
      if (entry.fileName !== name) continue;
      const chunks: Buffer[] = [];
      for await (const c of await file.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    file.close();
  }
  throw new Error(`${name} is not in the results ZIP`);
}
