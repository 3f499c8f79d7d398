import type { ModelMetrics } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { Table, Td, Th, Tr } from '../../ui/table';
import { CurveChart } from './curve-chart';
import { pct } from './model-format';

/** Precision, recall and F1 for each digit, then the macro and weighted averages. */
export function PerClassTable({ metrics }: { readonly metrics: ModelMetrics }) {
  return (
    <Table caption={t('models.metrics.perClass')}>
      <thead>
        <Tr>
          <Th>{t('models.metrics.digit')}</Th>
          <Th>{t('models.metrics.precision')}</Th>
          <Th>{t('models.metrics.recall')}</Th>
          <Th>{t('models.metrics.f1')}</Th>
          <Th>{t('models.metrics.support')}</Th>
        </Tr>
      </thead>
      <tbody className="tabular-nums">
        {metrics.per_class.map((c) => (
          <Tr key={c.label}>
            <Th scope="row">{c.label}</Th>
            <Td>{pct(c.precision)}</Td>
            <Td>{pct(c.recall)}</Td>
            <Td>{pct(c.f1)}</Td>
            <Td>{c.support.toLocaleString()}</Td>
          </Tr>
        ))}
        {(['macro', 'weighted'] as const).map((k) => (
          <Tr key={k}>
            <Th scope="row">{t(k === 'macro' ? 'models.metrics.macro' : 'models.metrics.weighted')}</Th>
            <Td>{pct(metrics[k].precision)}</Td>
            <Td>{pct(metrics[k].recall)}</Td>
            <Td>{pct(metrics[k].f1)}</Td>
            <Td>{metrics.count.toLocaleString()}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The headline numbers. */
export function MetricTiles({ metrics }: { readonly metrics: ModelMetrics }) {
  const tiles = [
    { label: t('models.metrics.accuracy'), value: pct(metrics.accuracy) },
    { label: t('models.metrics.macroF1'), value: pct(metrics.macro.f1) },
    { label: t('models.metrics.ece'), value: metrics.ece.toFixed(4) },
    { label: t('models.metrics.logLoss'), value: metrics.log_loss.toFixed(4) },
    { label: t('models.metrics.count'), value: metrics.count.toLocaleString() },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {tiles.map((x) => (
        <div key={x.label} className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <dt className="text-sm text-slate-800">{x.label}</dt>
          <dd className="text-xl font-semibold text-slate-900 tabular-nums">{x.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The reliability diagram: in each confidence bin, how often the model was right against how sure it was. */
export function ReliabilityPanel({ metrics }: { readonly metrics: ModelMetrics }) {
  const bins = metrics.reliability.filter((b) => b.count > 0);
  return (
    <div className="grid gap-4 md:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] [&>*]:min-w-0">
      <CurveChart
        label={t('models.calibration.chart', { ece: metrics.ece.toFixed(4) })}
        xLabel={t('models.calibration.x')}
        yLabel={t('models.calibration.y')}
        diagonal
        series={[{ key: 'bins', label: t('models.calibration.series'), color: '#1d4ed8', dots: true, x: bins.map((b) => b.confidence), y: bins.map((b) => b.accuracy) }]}
      />
      <Table caption={t('models.calibration.table')}>
        <thead>
          <Tr>
            <Th>{t('models.calibration.bin')}</Th>
            <Th>{t('models.calibration.confidence')}</Th>
            <Th>{t('models.calibration.accuracy')}</Th>
            <Th>{t('models.calibration.count')}</Th>
          </Tr>
        </thead>
        <tbody className="tabular-nums">
          {bins.map((b) => (
            <Tr key={b.lower}>
              <Td>
                {b.lower.toFixed(2)}–{b.upper.toFixed(2)}
              </Td>
              <Td>{pct(b.confidence, 1)}</Td>
              <Td>{pct(b.accuracy, 1)}</Td>
              <Td>{b.count.toLocaleString()}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
