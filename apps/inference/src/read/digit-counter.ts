import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { normalizeForModel, PREPROCESS_HASH } from '@inkwell/imaging';
import type { Logger } from '@inkwell/logger';
import { createOrtSession, DigitCountManifest, sha256Of } from '@inkwell/model-artifacts';

/** Per piece of ink, from the digit-count model: the probabilities that it is a fragment of a digit, one digit, two, three or more. */
export type DigitCounts = readonly [fragment: number, one: number, two: number, threeOrMore: number];

/** A slot of number mode as preprocessing hands it over: its ways of reading, each a list of pieces. */
interface CountSlot {
  readonly options: readonly (readonly { readonly pixels: Float32Array }[])[];
}

interface Loaded {
  readonly session: ort.InferenceSession;
  readonly manifest: DigitCountManifest;
}

/**
 * Number mode's digit-count model (models-aux/number-count-v1, `npm run models:number-count`): the
 * digit models read a squeezed pair as one digit, or half a 0 as a 6, about as surely as the real
 * thing; this model, trained on touching numbers, tells how many digits a piece holds, which the
 * cut choice weighs (number-choice.ts). Loaded at the service's start (`ready`). When the file is
 * missing, was built for another image pipeline, or fails, number mode goes on without it (one
 * warning) and chooses with the weights fitted before it existed.
 */
export class DigitCounter {
  private loading: Promise<Loaded | null> | null = null;
  private closed = false;

  constructor(
    private readonly modelPath: string,
    private readonly logger: Logger,
  ) {}

  /** Loads the model (once); true when it serves. */
  async ready(): Promise<boolean> {
    return (await this.model()) !== null;
  }

  /**
   * Counts for the pieces of a number's slots, in the order of their images (slot, option, piece),
   * for the slots with cuts to choose only: a slot read one way has nothing to weigh, so its pieces
   * get `undefined` and cost no run. Null without the model, or when no slot has a cut.
   */
  async countCutSlots(slots: readonly CountSlot[], signal?: AbortSignal): Promise<(DigitCounts | undefined)[] | null> {
    const cut = slots.flatMap((slot) => slot.options.flatMap((o) => o.map(() => slot.options.length > 1)));
    if (!cut.includes(true)) return null;
    const counts = await this.count(
      slots.flatMap((slot) => (slot.options.length > 1 ? slot.options.flatMap((o) => o.map((d) => d.pixels)) : [])),
      signal,
    );
    if (counts === null) return null;
    let next = 0;
    return cut.map((c) => (c ? counts[next++] : undefined));
  }

  /** Counts for each image (28x28, as the digit models get it), or null without the model (or once the caller gave up). */
  async count(images: readonly Float32Array[], signal?: AbortSignal): Promise<DigitCounts[] | null> {
    const model = await this.model();
    if (model === null || this.closed || signal?.aborted) return null;
    if (images.length === 0) return [];
    const input = new Float32Array(images.length * 784);
    images.forEach((px, i) => input.set(normalizeForModel(px, model.manifest.normalization), i * 784));
    try {
      const out = await model.session.run({ image: new ort.Tensor('float32', input, [images.length, 1, 28, 28]) });
      const probs = out['probs'];
      const width = probs?.dims[1] ?? 0;
      if (!(probs?.data instanceof Float32Array) || width < 4 || probs.data.length !== images.length * width) throw new Error('the digit-count model gave no float "probs" of at least 4 per image');
      const data = probs.data;
      return images.map((_, i) => [data[i * width] ?? 0, data[i * width + 1] ?? 0, data[i * width + 2] ?? 0, data[i * width + 3] ?? 0]);
    } catch (err) {
      // A helper of the choice, not the reading: the number is still read, as without the model.
      this.logger.warn({ err }, 'digit-count model failed on a number: its cuts are chosen without it');
      return null;
    }
  }

  private model(): Promise<Loaded | null> {
    return (this.loading ??= this.load());
  }

  private async load(): Promise<Loaded | null> {
    if (this.modelPath === '') {
      this.logger.info('number mode runs without the digit-count model (INFERENCE_NUMBER_COUNT_MODEL is empty)');
      return null;
    }
    try {
      const manifest = DigitCountManifest.parse(JSON.parse(await readFile(join(dirname(this.modelPath), 'manifest.json'), 'utf8')));
      // Its examples went through the image pipeline: one built for another sees other pieces.
      if (manifest.preprocess_hash !== PREPROCESS_HASH) throw new Error(`built for image pipeline ${manifest.preprocess_hash}, this one is ${PREPROCESS_HASH} (npm run models:number-count rebuilds it)`);
      const bytes = new Uint8Array(await readFile(this.modelPath));
      if (sha256Of(bytes) !== manifest.onnx_sha256) throw new Error('model.onnx is not the file its manifest describes');
      const { session } = await createOrtSession(bytes, { intraOpThreads: 1 });
      this.logger.info({ model_id: manifest.model_id, path: this.modelPath }, 'digit-count model loaded for number mode');
      return { session, manifest };
    } catch (err) {
      this.logger.warn({ err, path: this.modelPath }, 'digit-count model not loaded: number mode chooses its cuts with the weights fitted without it');
      return null;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const model = await this.loading;
    await model?.session.release();
  }
}
