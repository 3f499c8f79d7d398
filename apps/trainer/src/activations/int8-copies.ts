import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { INT8_MODEL_FILE, type ActivationEngine } from '@inkwell/contracts';
import { MODEL_FILE, sha256Of } from '@inkwell/model-artifacts';
import { quantizeDynamicInt8 } from '@inkwell/onnx';

export type Int8File = ActivationEngine['files'][number];

/** One member's int8 copy, made in memory: nothing is written until the apply's checks have passed. */
export interface Int8Copy extends Int8File {
  readonly dir: string;
  readonly data: Uint8Array;
}

/**
 * Each version folder's int8 copy of its `model.onnx`, made by the same quantizer the benchmark
 * measured (deterministic: the same float bytes give the same int8 bytes), in memory, so a refused
 * apply leaves the folders as they were.
 */
export async function quantizeInt8Copies(folders: readonly string[]): Promise<Int8Copy[]> {
  const out: Int8Copy[] = [];
  for (const dir of folders) {
    const { bytes } = quantizeDynamicInt8(new Uint8Array(await readFile(join(dir, MODEL_FILE))));
    out.push({ dir, file: INT8_MODEL_FILE, sha256: sha256Of(bytes), data: bytes });
  }
  return out;
}

/** The file's SHA-256, or null when there is none. */
async function shaOnDisk(path: string): Promise<string | null> {
  try {
    return sha256Of(await readFile(path));
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Writes each copy as `model.int8.onnx` beside its `model.onnx`, unless the file there already has
 * its bytes (a replica may be reading it). Written under a temporary name and renamed, so a replica
 * never reads half a file; inference checks the SHA-256 recorded in the activation.
 */
export async function writeInt8Copies(copies: readonly Int8Copy[]): Promise<void> {
  for (const c of copies) {
    const target = join(c.dir, c.file);
    if ((await shaOnDisk(target)) === c.sha256) continue;
    const temp = join(c.dir, `.${c.file}.${process.pid}.${Date.now()}`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(c.data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }
}
