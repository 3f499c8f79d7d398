import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MNIST_NORMALIZATION, type Normalization, subset } from '@inkwell/ml-data';
import { mnistTest } from './data';
import { checkStructure, parseModel, refuseImport } from './onnx-structure';
import { type ImportedIo, outputKindOf, runImported } from './run-imported';
import { sha256Of } from './sha256';

/** Largest ONNX upload accepted: 1 GiB. */
export const IMPORT_MAX_BYTES = 1024 ** 3;
/** Test digits an uploaded model must run on before it is accepted. */
export const SMOKE_DIGITS = 100;

export interface ImportCheckOptions {
  readonly maxBytes?: number;
  readonly normalization?: Normalization;
}

/** What the checks learned about an accepted model: how to feed it, and what it is. */
export interface CheckedImport extends ImportedIo {
  readonly normalization: Normalization;
  readonly opset: number;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** Accuracy on the smoke run's digits (the first SMOKE_DIGITS of the MNIST test split); informative, never a refusal. */
  readonly smokeAccuracy: number;
}

const sizeRefusal = (bytes: number, max: number): Error => refuseImport('size', `the model is ${bytes} bytes, over the ${max}-byte limit`, { max_bytes: max });

/**
 * Streams an upload to `path`, refusing it (`size` check) as soon as it passes `maxBytes`, so a
 * client cannot make the service store or read more than the cap. Resolves to the bytes written.
 */
export async function writeCapped(source: Readable, path: string, maxBytes: number = IMPORT_MAX_BYTES): Promise<number> {
  let written = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (written > maxBytes) done(sizeRefusal(written, maxBytes));
      else done(null, chunk);
    },
  });
  await pipeline(source, cap, createWriteStream(path));
  return written;
}

/**
 * Checks an uploaded ONNX file (already on disk) in order, refusing at the first failure with an
 * AppError whose message starts "<check> check failed:" and whose details name the check:
 * size (before the file is read), parse, external data, opset, custom operators, the one input
 * ([N,1,28,28] or [N,784] float32), the one output ([N,10] float32), then a smoke run on 100 MNIST
 * test digits in onnxruntime-node whose answers must be finite. The run also tells whether the
 * output is probabilities or logits (evaluation then applies softmax).
 */
export async function checkImportedModel(path: string, options: ImportCheckOptions = {}): Promise<CheckedImport> {
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES;
  const normalization = options.normalization ?? MNIST_NORMALIZATION;
  const { size } = await stat(path);
  if (size > maxBytes) throw sizeRefusal(size, maxBytes);
  const bytes = new Uint8Array(await readFile(path));
  const structure = checkStructure(parseModel(bytes));
  const digits = subset(mnistTest(), Array.from({ length: SMOKE_DIGITS }, (_, i) => i));
  let rows: Float32Array;
  try {
    rows = await runImported(bytes, { ...structure, normalization }, digits, { threads: 1 });
  } catch (e) {
    throw refuseImport('smoke_run', `onnxruntime could not run the model on ${SMOKE_DIGITS} test digits: ${firstLine(e)}`);
  }
  const bad = rows.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw refuseImport('smoke_run', `output ${structure.outputName} is not finite (${rows[bad]}) for test digit ${Math.floor(bad / 10)}`);
  let right = 0;
  for (let r = 0; r < SMOKE_DIGITS; r++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if ((rows[r * 10 + c] as number) > (rows[r * 10 + best] as number)) best = c;
    if (best === digits.labels[r]) right++;
  }
  return {
    ...structure,
    normalization,
    outputKind: outputKindOf(rows),
    sizeBytes: size,
    sha256: sha256Of(bytes),
    smokeAccuracy: right / SMOKE_DIGITS,
  };
}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? 'unknown error';
