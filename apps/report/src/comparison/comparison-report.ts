import { formatCount, formatNumber, formatPercent, formatPoints, formatPValue, formatSigned, formatTimestamp } from '../render/format';
import { section, type ReportDocument, type ReportTable } from '../render/report-document';
import { comparisonTime, type ComparisonInputs, type ComparedVersion } from './comparison-inputs';

/** The significance level McNemar's p-value is judged at. */
export const ALPHA = 0.05;

/** Which version the comparison recommends, and why, in steps a reader can check. */
export interface ComparisonVerdict {
  readonly selected: 'a' | 'b';
  readonly significant: boolean;
  readonly steps: readonly string[];
}

export function verdictOf(i: ComparisonInputs): ComparisonVerdict {
  const c = i.comparison;
  const d = c.deltas.accuracy;
  const p = c.mcnemar.p_value;
  const steps = [
    `Baseline: A (${i.a.name}); candidate: B (${i.b.name}); both scored on ${c.test_set} (${formatCount(c.count)} images).`,
    `Accuracy B − A = ${formatPoints(d)} (A ${formatPercent(c.a.accuracy)}, B ${formatPercent(c.b.accuracy)}).`,
    `Discordant images: only A right ${formatCount(c.mcnemar.b)}, only B right ${formatCount(c.mcnemar.c)}; McNemar (${c.mcnemar.method.replace(/_/g, ' ')}) p = ${formatPValue(p)}.`,
  ];
  const significant = p < ALPHA && d !== 0;
  if (!significant) {
    steps.push(`p ≥ ${formatNumber(ALPHA, 2)} (or no difference): the difference is within chance, so the baseline A is kept.`);
    return { selected: 'a', significant, steps };
  }
  const selected = d > 0 ? 'b' : 'a';
  steps.push(`p < ${formatNumber(ALPHA, 2)}: the difference is real; ${selected === 'b' ? 'B' : 'A'} reads more digits correctly and is selected.`);
  return { selected, significant, steps };
}

const versionLabel = (v: ComparedVersion): string => `${v.name} (${v.id})`;

function metricsTable(i: ComparisonInputs): ReportTable {
  const a = i.a.metrics;
  const b = i.b.metrics;
  const d = i.comparison.deltas;
  const row = (label: string, av: number | undefined, bv: number | undefined, delta: number, decimals = 4): string[] => [label, formatNumber(av, decimals), formatNumber(bv, decimals), formatSigned(delta, decimals)];
  return {
    id: 'metrics',
    title: 'Raw metrics on the shared test set, and deltas against the baseline A (B − A)',
    columns: ['Metric', 'A', 'B', 'Δ (B − A)'],
    rows: [
      row('accuracy', i.comparison.a.accuracy, i.comparison.b.accuracy, d.accuracy),
      row('log loss', a?.log_loss, b?.log_loss, d.log_loss),
      row('ECE', a?.ece, b?.ece, d.ece),
      row('macro precision', a?.macro.precision, b?.macro.precision, d.macro_precision),
      row('macro recall', a?.macro.recall, b?.macro.recall, d.macro_recall),
      row('macro F1', a?.macro.f1, b?.macro.f1, d.macro_f1),
      row('weighted F1', a?.weighted.f1, b?.weighted.f1, d.weighted_f1),
    ],
  };
}

function perDigitTable(i: ComparisonInputs): ReportTable {
  const c = i.comparison;
  return {
    id: 'per_digit',
    title: 'Per digit: F1 of each, its delta, and the test images only one of them classifies correctly',
    columns: ['Digit', 'F1 A', 'F1 B', 'Δ F1', 'only A right', 'only B right'],
    rows: c.deltas.per_class_f1.map((delta, digit) => [
      String(digit),
      formatNumber(i.a.metrics?.per_class[digit]?.f1, 4),
      formatNumber(i.b.metrics?.per_class[digit]?.f1, 4),
      formatSigned(delta, 4),
      formatCount(c.only_a_right.per_class[digit] ?? 0),
      formatCount(c.only_b_right.per_class[digit] ?? 0),
    ]),
  };
}

function confusionDifferenceTable(i: ComparisonInputs): ReportTable {
  const m = i.comparison.confusion.difference;
  return {
    id: 'confusion_difference',
    title: 'Confusion matrix difference B − A (rows: true digit, columns: predicted)',
    columns: ['true \\ predicted', ...m.map((_, j) => String(j))],
    rows: m.map((row, t) => [String(t), ...row.map((v) => formatSigned(v, 0))]),
  };
}

function constraintsTable(i: ComparisonInputs): ReportTable {
  const c = i.comparison;
  const pass = (ok: boolean) => (ok ? 'pass' : 'fail');
  return {
    id: 'constraints',
    title: 'Constraint evaluation (B against the baseline A)',
    columns: ['Constraint', 'Value', 'Result'],
    rows: [
      ['accuracy B ≥ accuracy A', formatPoints(c.deltas.accuracy), pass(c.deltas.accuracy >= 0)],
      [`McNemar p < ${formatNumber(ALPHA, 2)}`, formatPValue(c.mcnemar.p_value), pass(c.mcnemar.p_value < ALPHA)],
      ['log loss B ≤ log loss A', formatSigned(c.deltas.log_loss, 4), pass(c.deltas.log_loss <= 0)],
      ['ECE B ≤ ECE A', formatSigned(c.deltas.ece, 4), pass(c.deltas.ece <= 0)],
    ],
  };
}

const meta = (i: ComparisonInputs): [string, string][] => [
  ['A (baseline)', versionLabel(i.a)],
  ['B (candidate)', versionLabel(i.b)],
  ['A recorded', formatTimestamp(i.a.created_at)],
  ['B recorded', formatTimestamp(i.b.created_at)],
  ['Test set', `${i.comparison.test_set}, ${formatCount(i.comparison.count)} images`],
];

/** Both views of a model comparison. */
export function comparisonDocuments(i: ComparisonInputs): { technical: ReportDocument; simple: ReportDocument } {
  const verdict = verdictOf(i);
  const chosen = verdict.selected === 'b' ? i.b : i.a;
  const other = verdict.selected === 'b' ? i.a : i.b;
  const base = { kind: 'comparison' as const, subject_ids: [i.a.id, i.b.id], created_at: formatTimestamp(comparisonTime(i)), meta: meta(i) };
  const chart = {
    id: 'discordant_by_digit',
    title: 'Test images only one version classifies correctly, by digit',
    kind: 'bar' as const,
    x_label: 'digit',
    y_label: 'images',
    categories: i.comparison.only_a_right.per_class.map((_, d) => String(d)),
    series: [
      { name: `only A right (${i.a.name})`, values: i.comparison.only_a_right.per_class },
      { name: `only B right (${i.b.name})`, values: i.comparison.only_b_right.per_class },
    ],
  };
  const promote = `POST /api/models/${chosen.id}/promote (an admin; the promotion gate checks its accuracy against the serving set)`;
  const recommendations = verdict.selected === 'b'
    ? [`Promote B (${i.b.name}): ${promote}.`, 'Watch /v1/read error and uncertainty rates after the promotion; roll back with POST /api/models/rollback if they rise.']
    : verdict.significant
      ? [`Keep A (${i.a.name}); B reads fewer digits correctly.`, 'Look at the digits where B loses most (per-digit table) before training another candidate.']
      : [`Keep A (${i.a.name}): B is not measurably better on ${formatCount(i.comparison.count)} images.`, 'A larger or harder test set, or more training, is needed to tell them apart.'];

  const technical: ReportDocument = {
    ...base,
    view: 'technical',
    title: `Model comparison: ${i.a.name} vs ${i.b.name} (technical)`,
    sections: [
      section('metrics', 'Raw metrics and deltas', { tables: [metricsTable(i)] }),
      section('per_digit', 'Per digit', { tables: [perDigitTable(i)], charts: [chart] }),
      section('confusion', 'Confusion difference', { tables: [confusionDifferenceTable(i)] }),
      section('constraints', 'Constraint evaluation', { tables: [constraintsTable(i)] }),
      section('selection', 'Selection reasoning', { list: { ordered: true, items: verdict.steps } }),
      section('recommendations', 'Recommendations', { list: { ordered: false, items: recommendations } }),
    ],
  };
  const why = verdict.significant
    ? `${chosen.name} classifies ${formatCount(Math.abs(i.comparison.mcnemar.c - i.comparison.mcnemar.b))} more test images correctly than ${other.name}, and McNemar's test says the difference is not chance (p = ${formatPValue(i.comparison.mcnemar.p_value)}).`
    : `${other.name} is not measurably better: the difference of ${formatPoints(i.comparison.deltas.accuracy)} could be chance (p = ${formatPValue(i.comparison.mcnemar.p_value)}), so the baseline stays.`;
  const simple: ReportDocument = {
    ...base,
    view: 'simple',
    title: `Model comparison: ${i.a.name} vs ${i.b.name} (summary)`,
    sections: [
      section('selected', 'The better model', { paragraphs: [`${chosen.name} (${chosen.id})`] }),
      section('key_numbers', 'Three key numbers', {
        tables: [{
          id: 'key_numbers',
          title: 'Key numbers',
          columns: ['Number', 'Value'],
          rows: [
            [`accuracy of ${chosen.name}`, formatPercent(chosen === i.a ? i.comparison.a.accuracy : i.comparison.b.accuracy)],
            ['accuracy difference B − A', formatPoints(i.comparison.deltas.accuracy)],
            ["McNemar's p-value", formatPValue(i.comparison.mcnemar.p_value)],
          ],
        }],
      }),
      section('why', 'Why', { paragraphs: [why] }),
      section('deployment', 'Deployment steps', {
        list: {
          ordered: true,
          items: chosen.active
            ? [`${chosen.name} is already served: nothing to deploy.`]
            : [`Check the version: GET /api/models/${chosen.id}.`, `Promote it: ${promote}.`, 'Confirm /v1/read answers with it (GET /v1/models), and keep POST /api/models/rollback at hand.'],
        },
      }),
    ],
  };
  return { technical, simple };
}
