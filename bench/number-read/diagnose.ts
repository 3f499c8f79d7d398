import {
  type NumberFixture,
  type PixelBox,
  type PreprocessNumberResult,
  writtenPerSlot,
} from "@inkwell/imaging";

/** Why a number was misread, the first cause found from left to right (see `diagnose`). */
export const FAILURE_KINDS = [
  "refused",
  "broken stroke",
  "extra mark",
  "pair read as one",
  "digit cut in two",
  "cut position",
  "digit read",
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Diagnosis {
  /** Null when the number was read right. */
  readonly kind: FailureKind | null;
  /** Some choice among the slots' options would have read the number right. */
  readonly reachable: boolean;
  /** The slot the failure is in: touching digits (two or more written digits in one ink group). */
  readonly inTouchingSlot: boolean;
  /** The failing slot was offered cuts at all (not only read whole). */
  readonly cutsOffered: boolean;
}

const centre = (b: PixelBox): number => b.x + b.width / 2;

/**
 * Compares the slots (ink groups), the option chosen for each and the digits read with what was
 * written. Each written digit belongs to the slot it overlaps most in x; then, slot by slot:
 * a slot holding no written digit is a broken stroke left apart (its centre inside a digit) or an
 * extra mark; a slot read as fewer digits than it holds is a pair read as one, as more a digit cut
 * in two; as many but wrong, the cut is misplaced (a piece's edge off its digit's by more than 20 %
 * of the digit's width) or the digit was misread.
 */
export function diagnose(
  f: NumberFixture,
  pre: PreprocessNumberResult,
  chosen: readonly number[],
  readOf: (slot: number, option: number) => string,
): Diagnosis {
  const truth = f.boxes;
  const { slotBoxes, owner, held } = writtenPerSlot(f, pre);
  const want = (s: number): string =>
    (held[s] ?? []).map((k) => f.label[k] ?? "").join("");
  const reachable =
    owner.every((o) => o >= 0) &&
    pre.slots.every((slot, s) =>
      slot.options.some((_, o) => readOf(s, o) === want(s)),
    );
  const read = chosen.map((o, s) => readOf(s, o)).join("");
  if (read === f.label)
    return { kind: null, reachable, inTouchingSlot: false, cutsOffered: false };

  if (owner.some((o) => o < 0))
    return {
      kind: "broken stroke",
      reachable,
      inTouchingSlot: false,
      cutsOffered: false,
    };
  for (let s = 0; s < pre.slots.length; s++) {
    const ks = held[s] ?? [];
    const o = chosen[s] ?? 0;
    const pieces = pre.slots[s]?.options[o] ?? [];
    const touchingSlot = ks.length >= 2;
    if (ks.length === 0) {
      const c = centre(slotBoxes[s] ?? { x: 0, y: 0, width: 0, height: 0 });
      const inside = truth.some((t) => c >= t.x && c <= t.x + t.width);
      return {
        kind: inside ? "broken stroke" : "extra mark",
        reachable,
        inTouchingSlot: false,
        cutsOffered: false,
      };
    }
    if (readOf(s, o) === want(s)) continue;
    if (pieces.length < ks.length)
      return {
        kind: "pair read as one",
        reachable,
        inTouchingSlot: touchingSlot,
        cutsOffered: (pre.slots[s]?.options.length ?? 0) > 1,
      };
    if (pieces.length > ks.length)
      return {
        kind: "digit cut in two",
        reachable,
        inTouchingSlot: touchingSlot,
        cutsOffered: (pre.slots[s]?.options.length ?? 0) > 1,
      };
    const misplaced = pieces.some((p, i) => {
      const t = truth[ks[i] ?? -1];
      if (t === undefined) return true;
      const tol = 0.2 * t.width;
      return (
        Math.abs(p.box.x - t.x) > tol ||
        Math.abs(p.box.x + p.box.width - (t.x + t.width)) > tol
      );
    });
    return {
      kind: misplaced && touchingSlot ? "cut position" : "digit read",
      reachable,
      inTouchingSlot: touchingSlot,
      cutsOffered: (pre.slots[s]?.options.length ?? 0) > 1,
    };
  }
  // Every slot read as written, yet the number differs: a written digit fell in no slot's share.
  return {
    kind: "broken stroke",
    reachable,
    inTouchingSlot: false,
    cutsOffered: false,
  };
}
