import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ReadResponse, isAppError } from '@inkwell/contracts';
import { makeBadInputs } from '@inkwell/imaging';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { mnistPngs } from '../testing/batch-seed';
import { ensureTestModel } from '../testing/test-model';
import { PreprocessGate } from './preprocess-gate';
import { Reader, readErrorCode, topClasses } from './reader';

let svc: InferenceApp;

beforeAll(async () => {
  const model = await ensureTestModel();
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_USAGE_FLUSH_MS: '60000' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});
afterAll(() => svc.close());

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'ok';
  } catch (err) {
    return isAppError(err) ? err.code : `not an AppError: ${String(err)}`;
  }
};

/** A reader whose only preprocessing place is taken until `release` is called. */
const blockedReader = (timeoutMs: number) => {
  const gate = new PreprocessGate(1);
  let release: () => void = () => undefined;
  const held = gate.run(() => new Promise<void>((r) => (release = r)), new AbortController().signal);
  return { gate, reader: new Reader(svc.runtime.engine, { ...svc.runtime.reader.opts, gate, timeoutMs }), release: () => (release(), held) };
};

describe('Reader', () => {
  it('answers exactly what POST /v1/read answers for the same bytes', async () => {
    for (const { bytes } of await mnistPngs(5, 50)) {
      const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(bytes), { filename: 'd.png', contentType: 'image/png' });
      const http = ReadResponse.parse(res.body);
      const direct = await svc.runtime.reader.read(bytes, {});
      expect({ digit: direct.digit, confidence: direct.confidence, probs: direct.probs, uncertain: direct.uncertain, model_id: direct.modelId }).toEqual({
        digit: http.digit,
        confidence: http.confidence,
        probs: http.probs,
        uncertain: http.uncertain,
        model_id: http.model_id,
      });
    }
  });

  it('refuses each bad input with the code a single upload gets', async () => {
    for (const bad of await makeBadInputs()) {
      const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(bad.bytes), { filename: 'x', contentType: bad.contentType });
      expect({ name: bad.name, code: await codeOf(svc.runtime.reader.read(bad.bytes, {})) }).toEqual({ name: bad.name, code: res.body.code });
      expect(res.body.code).toBe(bad.expectedCode);
    }
  });

  it('gives up with `timeout` once its deadline passes, and leaves the preprocessing line', async () => {
    const { gate, reader, release } = blockedReader(100);
    const [png] = await mnistPngs(1);
    expect(await codeOf(reader.read(png?.bytes ?? new Uint8Array(), {}))).toBe('timeout');
    expect(gate.queued).toBe(0);
    await release();
  });

  it('stops at once when its caller gives up, with the caller\'s reason', async () => {
    const { gate, reader, release } = blockedReader(60_000);
    const [png] = await mnistPngs(1);
    const bytes = png?.bytes ?? new Uint8Array();
    const gone = new AbortController();
    const pending = codeOf(reader.read(bytes, {}, gone.signal));
    await waitFor(() => gate.queued === 1, 5000, 'read queued');
    gone.abort(new AppError('request_timeout', 'The client left before the answer'));
    expect(await pending).toBe('request_timeout');
    expect(gate.queued).toBe(0);
    // Already given up before it starts: never queues.
    expect(await codeOf(reader.read(bytes, {}, AbortSignal.abort()))).toBe('request_timeout');
    expect(gate.queued).toBe(0);
    await release();
  });

  it('names an unexpected failure internal_error, and an AppError by its code', () => {
    expect(readErrorCode(new Error('disk on fire'))).toBe('internal_error');
    expect(readErrorCode(new AppError('invalid_image', 'x'))).toBe('invalid_image');
  });

  it('ranks the top classes likeliest first, the smaller digit first on a tie', () => {
    expect(topClasses([0.1, 0.3, 0.3, 0, 0, 0, 0, 0.25, 0.05, 0], 3)).toEqual([
      { digit: 1, prob: 0.3 },
      { digit: 2, prob: 0.3 },
      { digit: 7, prob: 0.25 },
    ]);
  });
});
