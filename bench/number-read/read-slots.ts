import { isAppError } from "@inkwell/contracts";
import {
  type NumberFixture,
  type PreprocessNumberResult,
  preprocessNumber,
} from "@inkwell/imaging";
import {
  type ReadSlot,
  readSlotsOf,
} from "../../apps/inference/src/read/number-choice";
import type { DigitCounter } from "../../apps/inference/src/read/digit-counter";
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

/** Reads each fixture's slots as read.service's readNumber does, one number at a time (its cost is timed). */
export async function readSlots(
  classify: Classify,
  fixtures: readonly NumberFixture[],
  counter?: DigitCounter,
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
    const counts = (await counter?.countCutSlots(pre.slots)) ?? null;
    const ms = performance.now() - t0;
    const slots = readSlotsOf(pre.slots, probs, counts, () => ({}));
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
