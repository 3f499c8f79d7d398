import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'wouter';
import { roleAtLeast, type ModelVersion } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { isAdmin, useSession } from '../../session/session';
import { Card, PageHeader } from '../../ui/card';
import { Badge, ErrorPanel, Loading } from '../../ui/feedback';
import { ActivationHistory } from './activation-history';
import { ConfusionHeatmap } from './confusion-heatmap';
import { MetricTiles, PerClassTable, ReliabilityPanel } from './metrics-tables';
import { MisreadsPanel } from './misreads-panel';
import { ModelActions } from './model-actions';
import { formatDateTime, sourceWord, STATUS_TONE, statusWord } from './model-format';
import { useActiveVersions, useConfusion, useMetrics, useModel, useRoc, type Cell } from './models-queries';
import { RocPanel } from './roc-panel';

function Section({ id, title, children }: { readonly id: string; readonly title: string; readonly children: ReactNode }) {
  return (
    <Card aria-labelledby={id} className="mb-6">
      <h2 id={id} className="mb-3 text-xl font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </Card>
  );
}

function Provenance({ v }: { readonly v: ModelVersion }) {
  const rows: [string, string][] = [
    [t('models.detail.id'), v.id],
    [t('models.detail.family'), v.family],
    [t('models.detail.source'), sourceWord(v.source)],
    [t('models.detail.testSet'), v.test_set],
    [t('models.detail.dataset'), v.dataset_id],
    [t('models.detail.created'), formatDateTime(v.created_at)],
    [t('models.detail.size'), v.size_bytes === null ? t('state.none') : `${(v.size_bytes / 1024).toFixed(0)} KiB`],
    [t('models.detail.sha256'), v.sha256 ?? t('state.none')],
    [t('models.detail.hyperparameters'), Object.keys(v.hyperparameters).length > 0 ? JSON.stringify(v.hyperparameters) : t('state.none')],
  ];
  return (
    <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
      {rows.map(([k, value]) => (
        <div key={k} className="contents">
          <dt className="font-medium text-slate-900">{k}</dt>
          <dd className="min-w-0 break-all text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Evaluation({ id }: { readonly id: string }) {
  const metrics = useMetrics(id, true);
  const confusion = useConfusion(id, true);
  const roc = useRoc(id, true);
  const [cell, setCell] = useState<Cell | null>(null);
  const failed = metrics.error ?? confusion.error ?? roc.error;
  if (failed) return <ErrorPanel message={errorMessage(failed)} onRetry={() => void Promise.all([metrics.refetch(), confusion.refetch(), roc.refetch()])} />;
  return (
    <>
      <Section id="metrics-title" title={t('models.metrics.title')}>
        {metrics.data ? (
          <div className="grid gap-4 [&>*]:min-w-0">
            <MetricTiles metrics={metrics.data} />
            <PerClassTable metrics={metrics.data} />
          </div>
        ) : (
          <Loading label={t('models.metrics.loading')} />
        )}
      </Section>
      <Section id="cm-title" title={t('models.cm.title')}>
        <p className="mb-3 text-slate-800">{t('models.cm.hint')}</p>
        {confusion.data ? <ConfusionHeatmap caption={t('models.cm.caption')} counts={confusion.data.counts} onSelect={setCell} selected={cell} /> : <Loading />}
        <MisreadsPanel id={id} cell={cell} />
      </Section>
      <Section id="roc-title" title={t('models.roc.title')}>
        {roc.data ? <RocPanel roc={roc.data} /> : <Loading />}
      </Section>
      <Section id="calibration-title" title={t('models.calibration.title')}>
        {metrics.data ? <ReliabilityPanel metrics={metrics.data} /> : <Loading />}
      </Section>
    </>
  );
}

export function ModelPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { user } = useSession();
  const engineer = user !== null && roleAtLeast(user.role, 'engineer');
  const admin = isAdmin(user);
  const model = useModel(id);
  const active = useActiveVersions();
  const v = model.data;
  const compareWith = active.data?.find((a) => a.id !== id && a.test_set === v?.test_set)?.id ?? null;

  if (model.isPending) return <Loading label={t('models.detail.loading')} />;
  if (model.isError) return <ErrorPanel message={errorMessage(model.error)} onRetry={() => void model.refetch()} />;
  const version = model.data;
  return (
    <>
      <p className="mb-2">
        <Link href="/models" className="text-blue-800 underline">
          {t('models.back')}
        </Link>
      </p>
      <PageHeader title={version.name} description={t('models.detail.description', { family: version.family, source: sourceWord(version.source) })} actions={<ModelActions version={version} admin={admin} compareWith={compareWith} />} />
      <div className="mb-4 flex flex-wrap gap-2">
        <Badge tone={STATUS_TONE[version.status]}>{statusWord(version.status)}</Badge>
        {version.active ? <Badge tone="info">{t('models.active')}</Badge> : null}
      </div>
      <Section id="provenance-title" title={t('models.detail.provenance')}>
        <Provenance v={version} />
      </Section>
      {version.status === 'ready' ? (
        <Evaluation id={version.id} />
      ) : (
        <p role="status" className="mb-6 text-slate-800">
          {version.status === 'failed' ? t('models.detail.failed', { reason: version.status_reason ?? t('state.none') }) : version.status === 'evaluating' ? t('models.detail.evaluating') : t('models.detail.deleted')}
        </p>
      )}
      {engineer ? <ActivationHistory canRollback={admin} /> : null}
    </>
  );
}
