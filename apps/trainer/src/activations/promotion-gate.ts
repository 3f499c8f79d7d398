import type { GateResult } from '@inkwell/contracts';

export interface GateInput {
  /** TRAINER_PROMOTE_MIN_ACCURACY */
  readonly floor: number;
  /** TRAINER_PROMOTE_MAX_DROP */
  readonly maxDrop: number;
  readonly candidate: number;
  /** The serving set's test accuracy; null when nothing serves or it is unknown (then only the floor applies). */
  readonly active: number | null;
}

// Accuracies are counts over 10,000 digits: a tolerance far below one digit keeps float noise
// (0.98 - 0.01 = 0.9700000000000001) from refusing a candidate exactly at the limit.
const EPSILON = 1e-9;

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/**
 * The pre-activation gate: the candidate's test accuracy is at least the floor, and not more than
 * `maxDrop` below what serves now. Pure, so the numbers it records are the numbers it judged.
 */
export function promotionGate(g: GateInput): GateResult {
  const failures: string[] = [];
  if (g.candidate < g.floor - EPSILON) failures.push(`test accuracy ${pct(g.candidate)} is below the floor ${pct(g.floor)}`);
  if (g.active !== null && g.candidate < g.active - g.maxDrop - EPSILON) {
    failures.push(`test accuracy ${pct(g.candidate)} is more than ${pct(g.maxDrop)} below the serving set's ${pct(g.active)}`);
  }
  return { floor: g.floor, max_drop: g.maxDrop, candidate_accuracy: g.candidate, active_accuracy: g.active, passed: failures.length === 0, failures };
}
