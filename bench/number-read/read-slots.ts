import { isAppError } from "@inkwell/contracts";
import {
  type NumberFixture,
  type PreprocessNumberResult,
  preprocessNumber,
} from "@inkwell/imaging";
import {
  type ReadSlot,
  countLogShares,
} from "../../apps/inference/src/read/number-choice";
import type { Classify } from "./classifier";

/** One fixture through preprocessNumber and the classifier, every option of every slot read (the choice is left to the caller). */
export interface SlotReading {
  readonly fixture: NumberFixture;
  /** Null when preprocessing refused the image (the service's 4xx). */
  readonly pre: PreprocessNumberResult | null;
  readonly refusal: string | null;
  readonly slots: readonly ReadSlot[];
  readonly inputs: number;
  readonly ms: number;
}

const argmax = (p: Float32Array): number => p.indexOf(Math.max(...p));

/** Reads each fixture's slots as read.service's readNumber does, one number at a time (its cost is timed). */
export async function readSlots(
  classify: Classify,
  fixtures: readonly NumberFixture[],
  countSlots?: Classify,
): Promise<SlotReading[]> {
  const out: SlotReading[] = [];
  for (const f of fixtures) {
    const t0 = performance.now();
    let pre: PreprocessNumberResult;
    try {
      pre = await preprocessNumber(f.bytes, { center: true });
    } catch (err) {
      if (!isAppError(err)) throw err;
      out.push({
        fixture: f,
        pre: null,
        refusal: `${err.code}: ${err.message}`,
        slots: [],
        inputs: 0,
        ms: performance.now() - t0,
      });
      continue;
    }
    const images = pre.slots.flatMap((slot) =>
      slot.options.flatMap((o) => o.map((d) => d.pixels)),
    );
    const probs = await classify(images);
    // The count model's classes 0-3 of its 10 outputs (it is trained with those labels only), per image.
    const counts =
      countSlots === undefined
        ? null
        : (await countSlots(images)).map((p) => [0, 1, 2, 3].map((k) => p[k] ?? 0));
    const ms = performance.now() - t0;
    let at = 0;
    const slots = pre.slots.map((slot) => {
      const whole = counts?.[at];
      return {
      aspect: slot.aspect,
      crossings: slot.crossings,
      ...(whole === undefined ? {} : { countLogProbs: countLogShares(whole).whole }),
      options: slot.options.map((o) =>
        o.map((d) => {
          const c = counts?.[at];
          const p = probs[at++] ?? new Float32Array(10);
          const digit = argmax(p);
          return {
            ...(c === undefined ? {} : { oneLogProb: countLogShares(c).one }),
            digit,
            confidence: p[digit] ?? 0,
            x: d.box.x,
            width: d.box.width,
            height: d.box.height,
          };
        }),
      ),
    };
    });
    out.push({
      fixture: f,
      pre,
      refusal: null,
      slots,
      inputs: images.length,
      ms,
    });
  }
  return out;
}

/** The digits of the options `chosen` picks, left to right. */
export const readOf = (
  slots: readonly ReadSlot[],
  s: number,
  o: number,
): string => (slots[s]?.options[o] ?? []).map((p) => String(p.digit)).join("");
