import { Link, useSearch } from 'wouter';
import { roleAtLeast, type ModelComparisonView } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Card, PageHeader } from '../../ui/card';
import { ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { CompareReport } from './compare-report';
import { CompareRocOverlay } from './compare-roc-overlay';
import { ConfusionHeatmap } from './confusion-heatmap';
import { deltaPoints, pct } from './model-format';
import { useComparison, useMetrics } from './models-queries';

/** McNemar's verdict in words: is B's accuracy different from A's by more than chance? */
function verdict(c: ModelComparisonView): string {
  const p = c.mcnemar.p_value;
  const pText = p < 0.0001 ? '< 0.0001' : `= ${p.toFixed(4)}`;
  if (c.mcnemar.b + c.mcnemar.c === 0) return t('models.compare.verdictSame');
  if (p >= 0.05) return t('models.compare.verdictChance', { p: pText });
  const better = c.deltas.accuracy > 0 ? c.b.name : c.a.name;
  const worse = c.deltas.accuracy > 0 ? c.a.name : c.b.name;
  return t('models.compare.verdictReal', { better, worse, p: pText });
}

function DeltaRow({ label, a, b, delta }: { readonly label: string; readonly a: string; readonly b: string; readonly delta: string }) {
  return (
    <Tr>
      <Th scope="row">{label}</Th>
      <Td>{a}</Td>
      <Td>{b}</Td>
      <Td>{delta}</Td>
    </Tr>
  );
}

function MetricsDelta({ c }: { readonly c: ModelComparisonView }) {
  const ma = useMetrics(c.a.id, true).data;
  const mb = useMetrics(c.b.id, true).data;
  const num = (v: number | undefined, digits = 4) => (v === undefined ? t('state.none') : v.toFixed(digits));
  const signed = (d: number) => `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(4)}`;
  return (
    <Table caption={t('models.compare.metrics')}>
      <thead>
        <Tr>
          <Th>{t('models.compare.metric')}</Th>
          <Th className="break-all whitespace-normal">{t('models.compare.aCol', { name: c.a.name })}</Th>
          <Th className="break-all whitespace-normal">{t('models.compare.bCol', { name: c.b.name })}</Th>
          <Th>{t('models.compare.delta')}</Th>
        </Tr>
      </thead>
      <tbody className="tabular-nums">
        <DeltaRow label={t('models.metrics.accuracy')} a={pct(c.a.accuracy)} b={pct(c.b.accuracy)} delta={deltaPoints(c.deltas.accuracy)} />
        <DeltaRow label={t('models.compare.macroPrecision')} a={pct(ma?.macro.precision)} b={pct(mb?.macro.precision)} delta={deltaPoints(c.deltas.macro_precision)} />
        <DeltaRow label={t('models.compare.macroRecall')} a={pct(ma?.macro.recall)} b={pct(mb?.macro.recall)} delta={deltaPoints(c.deltas.macro_recall)} />
        <DeltaRow label={t('models.metrics.macroF1')} a={pct(ma?.macro.f1)} b={pct(mb?.macro.f1)} delta={deltaPoints(c.deltas.macro_f1)} />
        <DeltaRow label={t('models.compare.weightedF1')} a={pct(ma?.weighted.f1)} b={pct(mb?.weighted.f1)} delta={deltaPoints(c.deltas.weighted_f1)} />
        <DeltaRow label={t('models.metrics.ece')} a={num(ma?.ece)} b={num(mb?.ece)} delta={signed(c.deltas.ece)} />
        <DeltaRow label={t('models.metrics.logLoss')} a={num(ma?.log_loss)} b={num(mb?.log_loss)} delta={signed(c.deltas.log_loss)} />
        {c.deltas.per_class_f1.map((d, digit) => (
          <DeltaRow
            key={digit}
            label={t('models.compare.f1Digit', { digit })}
            a={pct(ma?.per_class[digit]?.f1)}
            b={pct(mb?.per_class[digit]?.f1)}
            delta={deltaPoints(d)}
          />
        ))}
      </tbody>
    </Table>
  );
}

export function ComparePage() {
  const params = new URLSearchParams(useSearch());
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const { user } = useSession();
  const engineer = user !== null && roleAtLeast(user.role, 'engineer');
  const cmp = useComparison(a, b);
  return (
    <>
      <p className="mb-2">
        <Link href="/models" className="text-blue-800 underline">
          {t('models.back')}
        </Link>
      </p>
      <PageHeader title={t('models.compare.title')} description={t('models.compare.description')} />
      {a === '' || b === '' ? (
        <p className="text-slate-800">{t('models.compare.pick')}</p>
      ) : cmp.isPending ? (
        <Loading label={t('models.compare.loading')} />
      ) : cmp.isError ? (
        <ErrorPanel message={errorMessage(cmp.error)} onRetry={() => void cmp.refetch()} />
      ) : (
        <div className="grid gap-6 [&>*]:min-w-0">
          <Card aria-labelledby="verdict-title">
            <h2 id="verdict-title" className="mb-2 text-xl font-semibold text-slate-900">
              {t('models.compare.verdict')}
            </h2>
            <p className="text-slate-900" data-testid="mcnemar-verdict">
              {verdict(cmp.data)}
            </p>
            <p className="mt-2 text-sm text-slate-800">
              {t('models.compare.mcnemar', {
                onlyA: cmp.data.only_a_right.total,
                onlyB: cmp.data.only_b_right.total,
                a: cmp.data.a.name,
                b: cmp.data.b.name,
                statistic: cmp.data.mcnemar.statistic.toFixed(3),
                method: t(cmp.data.mcnemar.method === 'exact_binomial' ? 'models.compare.exact' : 'models.compare.chi'),
                count: cmp.data.count.toLocaleString(),
                testSet: cmp.data.test_set,
              })}
            </p>
            {engineer ? (
              <div className="mt-4">
                <CompareReport a={cmp.data.a.id} b={cmp.data.b.id} />
              </div>
            ) : null}
          </Card>
          <Card aria-labelledby="deltas-title">
            <h2 id="deltas-title" className="mb-3 text-xl font-semibold text-slate-900">
              {t('models.compare.metrics')}
            </h2>
            <MetricsDelta c={cmp.data} />
          </Card>
          <Card aria-labelledby="roc-overlay-title">
            <h2 id="roc-overlay-title" className="mb-3 text-xl font-semibold text-slate-900">
              {t('models.rocOverlay.title')}
            </h2>
            <CompareRocOverlay c={cmp.data} />
          </Card>
          <Card aria-labelledby="cms-title">
            <h2 id="cms-title" className="mb-3 text-xl font-semibold text-slate-900">
              {t('models.compare.matrices')}
            </h2>
            <div className="grid gap-6 xl:grid-cols-3">
              <div className="min-w-0">
                <h3 className="mb-2 font-semibold break-all text-slate-900">{t('models.compare.aCol', { name: cmp.data.a.name })}</h3>
                <ConfusionHeatmap caption={t('models.compare.cmOf', { name: cmp.data.a.name })} counts={cmp.data.confusion.a} />
              </div>
              <div className="min-w-0">
                <h3 className="mb-2 font-semibold break-all text-slate-900">{t('models.compare.bCol', { name: cmp.data.b.name })}</h3>
                <ConfusionHeatmap caption={t('models.compare.cmOf', { name: cmp.data.b.name })} counts={cmp.data.confusion.b} />
              </div>
              <div className="min-w-0">
                <h3 className="mb-2 font-semibold text-slate-900">{t('models.compare.difference')}</h3>
                <ConfusionHeatmap caption={t('models.compare.difference')} counts={cmp.data.confusion.difference} mode="difference" />
              </div>
            </div>
          </Card>
        </div>
      )}
    </>
  );
}
