import { AppError } from '@inkwell/contracts';
import { looksLikeCsvHeader } from '@inkwell/ml-data';
import yauzl from 'yauzl';
import { type DetectedDataset, EXPECTED_FORMATS, type UploadedFile } from './detected-dataset';
import { IMAGE_BYTES } from './digit-record';
import { classOfEntry, isIgnoredEntry } from './read-zip';
import { type SniffedFile, sniffFile } from './sniff-file';

function refuse(files: readonly UploadedFile[], sniffed: readonly SniffedFile[], why: string): never {
  throw new AppError('unsupported_media_type', `Not a dataset: ${why}.`, {
    expected: EXPECTED_FORMATS,
    found: files.map((f, i) => ({ name: f.name, is: describe(sniffed[i]) })),
  });
}

function malformed(message: string, details: Record<string, unknown>): never {
  throw new AppError('validation_failed', message, { expected: EXPECTED_FORMATS, ...details });
}

function describe(s: SniffedFile | undefined): string {
  switch (s?.kind) {
    case 'idx': return `an IDX array of shape ${JSON.stringify(s.dims)}`;
    case 'npy': return `an NPY array of shape ${JSON.stringify(s.shape)}`;
    case 'zip': return 'a ZIP archive';
    case 'text': return 'text';
    case 'other': return s.what;
    default: return 'unknown';
  }
}

/**
 * Says which of the four formats the uploaded files are, from their bytes (names and declared
 * types are not trusted), reading only their first 64 KB (a ZIP: its central directory). Anything
 * that is not a dataset is refused here, before a validation job is queued:
 * `unsupported_media_type` (415) for files that are no dataset format at all, `validation_failed`
 * (400) for a recognised format used wrongly (an IDX images file without labels, a CSV whose first
 * row is not label + 784 pixels, a ZIP without class folders). Both name what was expected.
 */
export async function detectDataset(files: readonly UploadedFile[]): Promise<DetectedDataset> {
  if (files.length === 0 || files.length > 2) {
    throw new AppError('validation_failed', `Expected one file (CSV or ZIP) or two (an IDX or NPY pair), got ${files.length}.`, { expected: EXPECTED_FORMATS });
  }
  const sniffed = await Promise.all(files.map((f) => sniffFile(f.path)));
  if (files.length === 1) {
    const [file] = files as [UploadedFile];
    const [s] = sniffed as [SniffedFile];
    if (s.kind === 'zip') return detectZip(file);
    if (s.kind === 'text') return detectCsv(file, s.head);
    if (s.kind === 'idx' || s.kind === 'npy') {
      malformed(`${file.name} is ${describe(s)}; an ${s.kind.toUpperCase()} dataset needs both the images and the labels file.`, { found: describe(s) });
    }
    refuse(files, sniffed, `${file.name} is ${describe(s)}`);
  }
  const [a, b] = sniffed as [SniffedFile, SniffedFile];
  if (a.kind === 'idx' && b.kind === 'idx') return pairByRank('idx', files, a.ndim, b.ndim);
  if (a.kind === 'npy' && b.kind === 'npy') return pairByRank('npy', files, a.shape.length, b.shape.length);
  if ((a.kind === 'idx' || a.kind === 'npy') && (b.kind === 'idx' || b.kind === 'npy')) {
    malformed('The two files are of different formats; send an IDX pair or an NPY pair.', { found: files.map((f, i) => ({ name: f.name, is: describe(sniffed[i]) })) });
  }
  return refuse(files, sniffed, 'two files must be an IDX pair or an NPY pair');
}

/** Images are the higher-rank array (3 or 2+ dims), labels the lower (1, or [N,1]). */
function pairByRank(format: 'idx' | 'npy', files: readonly UploadedFile[], rankA: number, rankB: number): DetectedDataset {
  const [a, b] = files as [UploadedFile, UploadedFile];
  if (rankA === rankB && !(format === 'npy' && rankA === 2)) {
    malformed(`Both ${format.toUpperCase()} files have ${rankA} dimensions; expected one images array and one labels array.`, { found: [rankA, rankB] });
  }
  const aIsImages = rankA > rankB;
  return { format, images: (aIsImages ? a : b).path, labels: (aIsImages ? b : a).path };
}

function detectCsv(file: UploadedFile, head: string): DetectedDataset {
  const lines = head.split(/\r?\n/);
  const first = lines[0] ?? '';
  const header = looksLikeCsvHeader(first);
  // The first data row must be complete: a head that ends mid-line cannot judge it.
  const rowIndex = header ? 1 : 0;
  const row = lines.length > rowIndex + 1 || !head.endsWith('\n') ? lines[rowIndex] : undefined;
  const fields = (row ?? '').split(',').length;
  if (row === undefined || row.trim() === '' || fields !== IMAGE_BYTES + 1) {
    malformed(`${file.name} is not a digit CSV: its first data row has ${row === undefined || row.trim() === '' ? 'no' : fields} columns, expected a label then 784 pixels (785).`, {
      found_columns: row === undefined || row.trim() === '' ? 0 : fields,
      expected_columns: IMAGE_BYTES + 1,
    });
  }
  return { format: 'csv', path: file.path, header };
}

/** A ZIP is a dataset when at least one of its entries sits in a class folder; the central directory says so without extracting. */
async function detectZip(file: UploadedFile): Promise<DetectedDataset> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file.path, { lazyEntries: true, autoClose: true });
  } catch (err) {
    return malformed(`${file.name} is not a readable ZIP: ${(err as Error).message}.`, {});
  }
  let classFiles = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!isIgnoredEntry(entry.fileName) && classOfEntry(entry.fileName) !== null) {
        classFiles++;
        break;
      }
    }
  } finally {
    zip.close();
  }
  if (classFiles === 0) malformed(`${file.name} holds no images in class folders 0/ .. 9/.`, {});
  return { format: 'zip', path: file.path };
}
