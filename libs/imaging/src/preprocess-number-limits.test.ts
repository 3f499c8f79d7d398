import { AppError } from '@inkwell/contracts';
import { describe, expect, it } from 'vitest';
import type { GrayImage } from './gray-image';
import { numberSlots } from './number-cut-options';
import { segmentNumber } from './number-segment';
import { labelInk } from './preprocess-core';
import { MAX_NUMBER_DIGITS, MAX_NUMBER_INPUTS, preprocessNumberGray } from './preprocess-number-core';
import { digitCandidates } from './select-digit';
import { canvas, fillRect } from './testing/draw';

const SIZE = 256;
const INK = 0;

/** Rows of 1x4 dashes 1 px apart, every other row shifted by 1 px: thousands of marks, none digit-like. */
function dashes(): GrayImage {
  const img = canvas(SIZE, SIZE, 255);
  for (let y = 4, row = 0; y < SIZE - 8; y += 5, row++) {
    for (let x = 4 + (row % 2); x < SIZE - 5; x += 2) fillRect(img, x, y, x, y + 3, INK);
  }
  return img;
}

/** A 0 as a 1-px outline. */
function ring(img: GrayImage, x0: number, y0: number, x1: number, y1: number): void {
  fillRect(img, x0, y0, x1, y0, INK);
  fillRect(img, x0, y1, x1, y1, INK);
  fillRect(img, x0, y0, x0, y1, INK);
  fillRect(img, x1, y0, x1, y1, INK);
}

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/** The AppError's details.reason, or what else was thrown / returned. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'answered';
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details: unknown = e.details;
    const reason = typeof details === 'object' && details !== null && 'reason' in details ? String(details.reason) : 'none';
    return `${e.code}:${reason}`;
  }
}

const inputsOf = (slots: readonly { readonly options: readonly (readonly unknown[])[] }[]): number => slots.reduce((n, s) => n + s.options.reduce((m, o) => m + o.length, 0), 0);

describe('number mode limits', () => {
  // Generous for a loaded CI machine: it takes a few ms; restarting the join after every merge took ~10 s.
  it('refuses a page of dashes quickly instead of grouping it', () => {
    const from = process.cpuUsage();
    const result = outcome(() => preprocessNumberGray(dashes(), { center: true }));
    expect(cpuMs(from)).toBeLessThan(2000);
    expect(result).toBe('preprocessing_failed:too_many_marks');
  });

  it('groups thousands of marks in bounded time (the join is one pass, not a restart per merge)', () => {
    const inked = labelInk(dashes(), false, true);
    const { candidates } = digitCandidates(inked.components, inked.width, inked.height);
    expect(candidates.length).toBeGreaterThan(1000);
    const from = process.cpuUsage();
    const segments = segmentNumber(candidates, inked.labels, inked.width);
    expect(cpuMs(from)).toBeLessThan(2000);
    expect(segments.length).toBeGreaterThan(MAX_NUMBER_DIGITS);
  });

  it('refuses 30 digit-sized marks as too many digits', () => {
    const img = canvas(SIZE, SIZE, 255);
    for (let i = 0; i < 30; i++) ring(img, 8 + 8 * i, 100, 13 + 8 * i, 113);
    let message = '';
    const result = outcome(() => {
      try {
        preprocessNumberGray(img, { center: true });
      } catch (e) {
        message = e instanceof Error ? e.message : '';
        throw e;
      }
    });
    expect(result).toBe('preprocessing_failed:too_many_digits');
    expect(message).toContain('Found 30 ');
  });

  it(`sends at most ${MAX_NUMBER_INPUTS} inputs for a number of many touching pairs, each still read whole`, () => {
    const img = canvas(SIZE, SIZE, 255);
    // Nine "00"s, each two 0s sharing a stroke: every one may be two digits, so each is offered cut several ways.
    for (let i = 0; i < 9; i++) {
      const x = 12 + 25 * i;
      ring(img, x, 100, x + 9, 119);
      ring(img, x + 9, 100, x + 18, 119);
    }
    const inked = labelInk(img, false, true);
    const { candidates } = digitCandidates(inked.components, inked.width, inked.height);
    // Without the cap, the cuts alone would pass it (else this test shows nothing).
    expect(inputsOf(numberSlots(candidates, inked.labels, inked.width))).toBeGreaterThan(MAX_NUMBER_INPUTS);

    const { slots } = preprocessNumberGray(img, { center: true });
    expect(slots).toHaveLength(9);
    expect(inputsOf(slots)).toBeLessThanOrEqual(MAX_NUMBER_INPUTS);
    for (const slot of slots) expect(slot.options[0]).toHaveLength(1);
  });
});
