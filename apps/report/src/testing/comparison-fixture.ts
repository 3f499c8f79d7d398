import { ComparisonInputs, type ComparedVersion } from '../comparison/comparison-inputs';

/*
 * A comparison's inputs made by code (no hand-made blob): two versions' per-digit results on
 * 10,000 test images, derived from two small confusion matrices, with every number the registry
 * would compute from them (accuracy, F1s, deltas, McNemar).
 */

const DIGITS = 10;
const PER_DIGIT = 1000;

/** confusion[t][p]: `errors[t]` images of digit t predicted as (t + 1) % 10, the rest right. */
function confusion(errors: readonly number[]): number[][] {
  return Array.from({ length: DIGITS }, (_, t) => Array.from({ length: DIGITS }, (_, p) => (p === t ? PER_DIGIT - (errors[t] ?? 0) : p === (t + 1) % DIGITS ? (errors[t] ?? 0) : 0)));
}

function metricsOf(m: number[][]) {
  const total = DIGITS * PER_DIGIT;
  const right = m.reduce((s, row, t) => s + (row[t] ?? 0), 0);
  const per_class = m.map((row, t) => {
    const tp = row[t] ?? 0;
    const predicted = m.reduce((s, r) => s + (r[t] ?? 0), 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = tp / PER_DIGIT;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label: t, support: PER_DIGIT, precision, recall, f1 };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => per_class.reduce((s, c) => s + c[k], 0) / DIGITS;
  const macro = { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  const accuracy = right / total;
  return {
    split: 'test' as const,
    test_set: 'mnist:test',
    count: total,
    accuracy,
    log_loss: (1 - accuracy) * 2.5,
    ece: (1 - accuracy) / 4,
    reliability: [{ lower: 0, upper: 1, count: total, accuracy, confidence: accuracy }],
    per_class,
    macro,
    weighted: macro,
  };
}

function version(id: string, name: string, createdAt: string, errors: readonly number[], active: boolean): ComparedVersion {
  const metrics = metricsOf(confusion(errors));
  return { id, name, source: 'trained', family: 'cnn', created_at: createdAt, sha256: id.replace(/-/g, '').padEnd(64, '0'), test_set: 'mnist:test', accuracy: metrics.accuracy, active, metrics };
}

/** Version B makes fewer errors on most digits (a real improvement, McNemar p well under 0.05). */
export function comparisonFixture(): ComparisonInputs {
  const errA = [8, 10, 25, 22, 18, 20, 12, 24, 30, 28];
  const errB = [6, 7, 14, 15, 12, 13, 9, 16, 19, 20];
  const a = version('11111111-1111-4111-8111-111111111111', 'cnn-a', '2026-03-01T10:00:00.000+02:00', errA, true);
  const b = version('22222222-2222-4222-8222-222222222222', 'cnn-b', '2026-03-04T23:30:15.250Z', errB, false);
  const ma = confusion(errA);
  const mb = confusion(errB);
  // Errors overlap as much as they can: B's errors on a digit are a subset of A's.
  const onlyA = errA.map(() => 0);
  const onlyB = errA.map((e, d) => e - (errB[d] ?? 0));
  const bCount = onlyA.reduce((s, v) => s + v, 0);
  const cCount = onlyB.reduce((s, v) => s + v, 0);
  const stat = (Math.abs(bCount - cCount) - 1) ** 2 / (bCount + cCount);
  const am = a.metrics;
  const bm = b.metrics;
  if (!am || !bm) throw new Error('fixture versions have metrics');
  return ComparisonInputs.parse({
    kind: 'comparison',
    a,
    b,
    comparison: {
      a: { id: a.id, name: a.name, accuracy: am.accuracy },
      b: { id: b.id, name: b.name, accuracy: bm.accuracy },
      test_set: 'mnist:test',
      count: am.count,
      deltas: {
        accuracy: bm.accuracy - am.accuracy,
        log_loss: bm.log_loss - am.log_loss,
        ece: bm.ece - am.ece,
        macro_precision: bm.macro.precision - am.macro.precision,
        macro_recall: bm.macro.recall - am.macro.recall,
        macro_f1: bm.macro.f1 - am.macro.f1,
        weighted_f1: bm.weighted.f1 - am.weighted.f1,
        per_class_f1: bm.per_class.map((c, d) => c.f1 - (am.per_class[d]?.f1 ?? 0)),
      },
      confusion: { a: ma, b: mb, difference: mb.map((row, t) => row.map((v, p) => v - (ma[t]?.[p] ?? 0))) },
      only_a_right: { per_class: onlyA, total: bCount },
      only_b_right: { per_class: onlyB, total: cCount },
      // Chi-square with 1 df: p = erfc(sqrt(stat / 2)); this many discordant images put it far below 1e-6.
      mcnemar: { b: bCount, c: cCount, statistic: stat, p_value: 1e-9, method: 'chi_square_corrected' },
    },
  });
}
