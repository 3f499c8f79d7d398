import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictNumberResponse, PredictResponse, ReadNumberResponse, formatReadReply } from '@inkwell/contracts';
import { type NumberFixture, makeNumberFixtures, preprocessGray } from '@inkwell/imaging';
import { digitAt, loadMnist } from '@inkwell/ml-data';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { ensureTestModel } from '../testing/test-model';

let svc: InferenceApp;
let fixtures: NumberFixture[];

/** MNIST test digits scanned for the pool, and the confidence the test model must read one with to be used. */
const POOL_SCAN = 3000;
const POOL_MIN_CONFIDENCE = 0.9;

/**
 * The test model is a small MLP (~90 % on MNIST), so a 5-digit number of random digits would be
 * read whole only ~60 % of the time whatever the segmentation does. What this test measures is the
 * segmentation, so the numbers are made of MNIST test digits that the model reads right, and
 * confidently, on their own (from the MNIST originals, through the same pipeline).
 */
async function digitsTheModelReads(): Promise<number[]> {
  const test = loadMnist('test');
  const images = Array.from({ length: POOL_SCAN }, (_, i) => preprocessGray({ data: digitAt(test, i), width: 28, height: 28 }, { invert: true, center: true }).pixels);
  const { probs } = await svc.runtime.engine.classifyMany(images, new AbortController().signal);
  return probs.flatMap((p, i) => {
    const best = p.indexOf(Math.max(...p));
    return best === test.labels[i] && (p[best] ?? 0) >= POOL_MIN_CONFIDENCE ? [i] : [];
  });
}

beforeAll(async () => {
  const model = await ensureTestModel();
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_USAGE_FLUSH_MS: '60000' });
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
  // The figures below are with the digit-count model: a failed load would read without it.
  expect(await svc.runtime.digitCounter.ready()).toBe(true);
  fixtures = await makeNumberFixtures({ count: 500, seed: 28, pool: await digitsTheModelReads() });
}, 240_000);
afterAll(() => svc.close());

const readNumber = (f: NumberFixture, path = '/v1/read') =>
  request(svc.app).post(path).set(svc.headers()).field('mode', 'number').attach('file', Buffer.from(f.bytes), { filename: 'number', contentType: f.contentType });

/** Runs `work` over `items`, `limit` at a time, results in order. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

const inside = (b: { x: number; y: number; width: number; height: number }, f: NumberFixture): boolean =>
  b.x >= 0 && b.y >= 0 && b.width >= 1 && b.height >= 1 && b.x + b.width <= f.width && b.y + b.height <= f.height;

describe('POST /v1/read mode=number', () => {
  it('reads 500 generated numbers of 2-6 MNIST digits whole: whole-number accuracy without touching digits (91 % floor; issue 28 asks 95 %, 96.3 % measured); with them, a 66 % floor (issue 28 asks 85 %; 78.0 % measured with this small model)', async () => {
    expect(fixtures).toHaveLength(500);
    const bodies = await pooled(fixtures, 8, async (f) => {
      const res = await readNumber(f);
      expect(res.status, `${f.name}: ${JSON.stringify(res.body)}`).toBe(200);
      return ReadNumberResponse.parse(res.body);
    });
    const tally = { plain: { right: 0, all: 0 }, touching: { right: 0, all: 0 }, connected: { right: 0, all: 0 } };
    const wrong: string[] = [];
    bodies.forEach((body, i) => {
      const f = fixtures[i];
      if (f === undefined) throw new Error('fixture missing');
      // Every digit read comes with its box, inside the image, and the number is its digits.
      expect(body.digits.map((d) => String(d.digit)).join('')).toBe(body.number);
      for (const d of body.digits) expect(inside(d.box, f), `${f.name}: box ${JSON.stringify(d.box)} outside ${f.width}x${f.height}`).toBe(true);
      expect(body.uncertain).toBe(body.digits.some((d) => d.uncertain));
      expect(body.confidence).toBeCloseTo(body.digits.reduce((c, d) => c * d.confidence, 1), 10);
      const right = body.number === f.label;
      if (right) {
        // Read right, each box is where that digit was drawn: its centre inside the digit's ink box (2 px slack for resampling).
        body.digits.forEach((d, k) => {
          const truth = f.boxes[k];
          if (truth === undefined) throw new Error('truth box missing');
          const cx = d.box.x + d.box.width / 2;
          const cy = d.box.y + d.box.height / 2;
          expect(cx >= truth.x - 2 && cx <= truth.x + truth.width + 2 && cy >= truth.y - 2 && cy <= truth.y + truth.height + 2, `${f.name}: digit ${k} box ${JSON.stringify(d.box)} vs ${JSON.stringify(truth)}`).toBe(true);
        });
      } else wrong.push(`${f.name}: read ${body.number}`);
      const groups = f.touching ? (f.connected ? [tally.touching, tally.connected] : [tally.touching]) : [tally.plain];
      for (const g of groups) {
        g.all++;
        if (right) g.right++;
      }
    });
    const pct = (g: { right: number; all: number }): string => `${((100 * g.right) / g.all).toFixed(1)} % (${g.right}/${g.all})`;
    console.log(
      `number mode, whole-number accuracy: without touching digits ${pct(tally.plain)}; with touching digits ${pct(tally.touching)}, of which strokes actually meeting ${pct(tally.connected)}\n` +
        `first misreads:\n  ${wrong.slice(0, 15).join('\n  ')}`,
    );
    expect(tally.plain.all + tally.touching.all).toBe(500);
    // Issue 28 item 3 asks 95 % and 85 % of the shipped ensemble, which bench/number-read/main.ts
    // measures on seed 28's numbers of every MNIST test digit (a seed never used to fit the choice):
    // 95.7 % and 87.0 %. Here the
    // test model (a small MLP, ~90 % on MNIST) reads them through the service with the digit-count
    // model (models-aux/) and number-choice.ts's weights: measured 96.3 % (289/300) and 78.0 %
    // (156/200); 94.7 % and 67.5 % before the digit-count model. The test model is retrained on each
    // machine (not bit-for-bit repeatable across CPUs), so the assertions are regression floors
    // about four standard deviations under the measurements; the printed figures are what the note reports.
    expect(tally.plain.right / tally.plain.all).toBeGreaterThanOrEqual(0.91);
    expect(tally.touching.right / tally.touching.all).toBeGreaterThanOrEqual(0.66);
  }, 180_000);

  it('answers /api/predict mode=number in percent, and leaves the single-digit shape alone without it', async () => {
    const f = fixtures.find((x) => !x.touching);
    if (f === undefined) throw new Error('no plain fixture');
    const number = await readNumber(f, '/api/predict');
    expect(number.status).toBe(200);
    const body = PredictNumberResponse.parse(number.body);
    expect(body.digits.length).toBe(body.number.length);
    for (const d of body.digits) {
      expect(d.confidence).toBeCloseTo(d.top3[0]?.prob === undefined ? -1 : d.top3[0].prob * 100, 1);
      expect(inside(d.box, f)).toBe(true);
    }
    const single = await request(svc.app).post('/api/predict').set(svc.headers()).attach('file', Buffer.from(f.bytes), { filename: 'number', contentType: f.contentType });
    expect(single.status).toBe(200);
    expect(PredictResponse.strict().safeParse(single.body).success).toBe(true);
    expect(single.body).not.toHaveProperty('mode');
  });

  it("gives seed 004's Discord reply for a number from the response as it arrives", async () => {
    const f = fixtures.find((x) => !x.touching);
    if (f === undefined) throw new Error('no plain fixture');
    const res = await readNumber(f);
    expect(res.status).toBe(200);
    const body = ReadNumberResponse.parse(res.body);
    const reply = formatReadReply(body);
    const m = /^Number: (\d+) \((\d{1,3}\.\d)% confidence\)\. Digits: ((?:\d=\d\.\d{3}(?:, )?)+)\. Model: (\S+)$/.exec(reply);
    expect(m, reply).not.toBeNull();
    if (!m) return;
    expect(m[1]).toBe(body.number);
    expect(Number(m[2])).toBeCloseTo(body.confidence * 100, 1);
    expect(m[3]?.split(', ')).toEqual(body.digits.map((d) => `${d.digit}=${d.confidence.toFixed(3)}`));
    expect(m[4]).toBe(body.model_id);
  });

  it('refuses an unknown mode with 400 validation_failed', async () => {
    const f = fixtures[0];
    if (f === undefined) throw new Error('no fixture');
    const res = await request(svc.app).post('/v1/read').set(svc.headers()).field('mode', 'page').attach('file', Buffer.from(f.bytes), { filename: 'n', contentType: f.contentType });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
