import { BrowserModelSet, type BrowserModel } from '@inkwell/contracts';
import { meanProbs, normalizeForModel, preprocessGray, toGray, ttaBatch } from '@inkwell/imaging/browser';
// The plain WASM backend (no WebGL/WebGPU): the same CPU kernels as the server's, one thread.
import * as ort from 'onnxruntime-web/wasm';
// Vite copies the runtime's WebAssembly into the build under a hashed name on this origin, which
// is all the gateway's CSP allows ('self' plus 'wasm-unsafe-eval'); no CDN.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { api, apiHref, failureFrom } from '../../../api/api-client';

/*
 * This module is only ever loaded with `import()` on the first stroke: it carries onnxruntime-web
 * and the preprocessing, which the reader's first load must not.
 */

/** Why the model could not be used, for the panel to put in words. */
export type LoadFailure = { readonly kind: 'download'; readonly status: string } | { readonly kind: 'checksum' } | { readonly kind: 'runtime'; readonly detail: string };

export class LiveModelError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(failure.kind);
    this.name = 'LiveModelError';
  }
}

/** What the browser makes of the drawing: the ten probabilities, or no digit yet. */
export type LiveReading = { readonly kind: 'digit'; readonly probs: readonly number[] } | { readonly kind: 'no_digit' };

export interface LiveModel {
  readonly modelId: string;
  /** RGBA pixels of the canvas (opaque) -> the same probabilities `/v1/read` answers for its PNG. */
  read(rgba: Uint8ClampedArray, width: number, height: number): Promise<LiveReading>;
}

interface Member {
  readonly spec: BrowserModel;
  readonly session: ort.InferenceSession;
}

const detailOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';

const hex = (buf: ArrayBuffer): string => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

async function download(spec: BrowserModel): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(apiHref('/v1/models/{model_id}/model.onnx', { params: { model_id: spec.model_id } }), { credentials: 'same-origin' });
  } catch {
    throw new LiveModelError({ kind: 'download', status: 'network' });
  }
  if (!res.ok) {
    const err = failureFrom(res.status, res.statusText, await res.json().catch(() => null), null);
    throw new LiveModelError({ kind: 'download', status: err.code ?? String(res.status) });
  }
  const bytes = await res.arrayBuffer();
  // crypto.subtle exists only in secure contexts (https, localhost). Over plain http on another
  // host the file is used unchecked: the browser's own length check on the body still applies.
  if (globalThis.crypto?.subtle && hex(await crypto.subtle.digest('SHA-256', bytes)) !== spec.sha256) {
    throw new LiveModelError({ kind: 'checksum' });
  }
  return new Uint8Array(bytes);
}

/**
 * The active set as the server runs it: the descriptor, each member's graph (checked against its
 * SHA-256), one session per member in the server's averaging order.
 */
export async function loadLiveModel(): Promise<LiveModel> {
  let set: BrowserModelSet;
  try {
    set = await api('get', '/v1/models/active/browser', { schema: BrowserModelSet });
  } catch (e) {
    throw new LiveModelError({ kind: 'download', status: detailOf(e) });
  }
  // No cross-origin isolation (no COOP/COEP headers), so no SharedArrayBuffer: one thread, and no
  // proxy worker (the runs are a few milliseconds; a worker would need a blob: script the CSP refuses).
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  ort.env.logLevel = 'error';

  const members: Member[] = [];
  for (const spec of set.models) {
    const bytes = await download(spec);
    try {
      // The server's session options (libs/onnx ort-session.ts): full graph optimisation, sequential.
      members.push({ spec, session: await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', executionMode: 'sequential' }) });
    } catch (e) {
      throw new LiveModelError({ kind: 'runtime', detail: detailOf(e) });
    }
  }
  return { modelId: set.model_id, read: (rgba, width, height) => readPixels(members, set.tta, rgba, width, height) };
}

/**
 * The server's pipeline after decoding, step for step (read.service.ts, engine.ts, ort-worker.ts):
 * toGray -> preprocessGray (polarity guessed, centred by mass) -> TTA rows -> each member on the
 * normalised rows -> sum in float32 times 1/members -> mean over rows.
 */
async function readPixels(members: readonly Member[], tta: BrowserModelSet['tta'], rgba: Uint8ClampedArray, width: number, height: number): Promise<LiveReading> {
  const gray = toGray(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length), width * height, 4);
  let pixels: Float32Array;
  try {
    pixels = preprocessGray({ data: gray, width, height }, { invert: undefined, center: true }).pixels;
  } catch {
    // Blank, specks only, or too small yet: every refusal of the preprocessing means "not a digit yet".
    return { kind: 'no_digit' };
  }
  const batch = ttaBatch(pixels, tta);
  const sum = new Float32Array(batch.rows * 10);
  for (const { spec, session } of members) {
    const input = new ort.Tensor('float32', normalizeForModel(batch.pixels, spec.normalization), [batch.rows, 1, 28, 28]);
    const out = await session.run({ [spec.input_name]: input });
    const probs = out[spec.output_name]?.data;
    if (!(probs instanceof Float32Array) || probs.length !== sum.length) throw new LiveModelError({ kind: 'runtime', detail: `model ${spec.model_id} did not answer ${batch.rows}x10 float32` });
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (probs[i] ?? 0);
  }
  const k = 1 / members.length;
  for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) * k;
  return { kind: 'digit', probs: Array.from(meanProbs(sum, batch.rows)) };
}
