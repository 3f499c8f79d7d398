import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { BATCH_RESULTS_FILES, type BatchItemResult, type BatchSummary, type BatchSummaryFile } from '@inkwell/contracts';
import { csvHeader, csvLine } from './results-csv';

/** Items fetched per page while writing: bounds memory whatever the job's size. */
const PAGE = 5000;

export interface ResultsSource {
  /** Items in upload order after index `after`, at most `limit`. */
  results(jobId: string, after: number, limit: number): Promise<BatchItemResult[]>;
}

const write = async (stream: WriteStream, text: string): Promise<void> => {
  if (!stream.write(text)) await once(stream, 'drain');
};

const closeStream = async (stream: WriteStream): Promise<void> => {
  stream.end();
  await once(stream, 'finish');
};

/**
 * Writes `results.zip` (results.csv, results.json, summary.json) for a job whose items are all
 * done, reading the items a page at a time and streaming both files to disk before zipping them,
 * so a 50,000-item job never sits in memory. The ZIP appears under its final name only once
 * complete (written beside it, then renamed): a crash midway leaves no half file to serve, and
 * the resumed job simply writes it again.
 */
export async function writeResultsZip(source: ResultsSource, job: { readonly id: string; readonly total: number }, summary: BatchSummary, zipPath: string): Promise<BatchSummaryFile> {
  const dir = dirname(zipPath);
  // A name of its own per attempt: two workers on one job (a stalled job taken over) never share it,
  // even in containers where both are pid 1. A crash's leftover goes with the job folder at retention.
  const work = join(dir, `results.tmp-${randomUUID()}`);
  await mkdir(work, { recursive: true });
  try {
    const csvPath = join(work, BATCH_RESULTS_FILES.csv);
    const jsonPath = join(work, BATCH_RESULTS_FILES.json);
    const csv = createWriteStream(csvPath);
    const json = createWriteStream(jsonPath);
    let done = 0;
    let failed = 0;
    try {
      await write(csv, csvHeader());
      await write(json, `{"job_id":${JSON.stringify(job.id)},"items":[`);
      let first = true;
      for (let after = -1; ; ) {
        const page = await source.results(job.id, after, PAGE);
        if (page.length === 0) break;
        let csvText = '';
        let jsonText = '';
        for (const item of page) {
          csvText += csvLine(item);
          jsonText += `${first ? '' : ','}\n${JSON.stringify(item)}`;
          first = false;
          if (item.status === 'done') done++;
          else failed++;
        }
        await write(csv, csvText);
        await write(json, jsonText);
        after = page[page.length - 1]?.index ?? after;
      }
      await write(json, '\n]}\n');
    } finally {
      await Promise.all([closeStream(csv), closeStream(json)]);
    }
    const summaryFile: BatchSummaryFile = { job_id: job.id, total_images: job.total, done, failed, ...summary };
    const zip = new yazl.ZipFile();
    zip.addFile(csvPath, BATCH_RESULTS_FILES.csv);
    zip.addFile(jsonPath, BATCH_RESULTS_FILES.json);
    zip.addBuffer(Buffer.from(`${JSON.stringify(summaryFile, null, 2)}\n`), BATCH_RESULTS_FILES.summary);
    zip.end();
    const partial = join(work, 'results.zip');
    await pipeline(zip.outputStream, createWriteStream(partial));
    await rename(partial, zipPath);
    return summaryFile;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
