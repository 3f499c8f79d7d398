import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Card } from '../../../ui/card';
import { CopyButton } from '../../../ui/copy-button';
import { Badge, ErrorPanel, Loading } from '../../../ui/feedback';
import { useApiConfig, type ApiConfiguration } from './api-keys-api';
import { apiExamples, type ApiExample } from './api-examples';

const EXAMPLE_TITLE = { read: 'apiKeys.config.readTitle', models: 'apiKeys.config.modelsTitle' } as const satisfies Record<ApiExample['id'], string>;

/** A copyable code block; wraps instead of scrolling, so it never widens the page. */
function CodeBlock({ code, label }: { readonly code: string; readonly label: string }) {
  return (
    <div className="mb-4">
      <div className="mb-1 flex items-center justify-between gap-2">
        <p className="font-medium text-slate-900">{label}</p>
        <CopyButton text={code} label={t('apiKeys.config.copyNamed', { what: label })} />
      </div>
      <pre className="rounded-md bg-slate-900 p-3 font-mono text-sm break-all whitespace-pre-wrap text-slate-50">
        <code>{code}</code>
      </pre>
    </div>
  );
}

function ConfigFacts({ config }: { readonly config: ApiConfiguration }) {
  return (
    <dl className="mb-6 grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
      <dt className="font-medium text-slate-800">{t('apiKeys.config.endpoint')}</dt>
      <dd className="flex flex-wrap items-center gap-2">
        <code data-testid="api-endpoint" className="font-mono break-all">
          {config.endpoint}
        </code>
        <CopyButton text={config.endpoint} label={t('apiKeys.config.copyNamed', { what: t('apiKeys.config.endpoint') })} />
      </dd>
      <dt className="font-medium text-slate-800">{t('apiKeys.config.envKey')}</dt>
      <dd>
        <Badge tone={config.env_api_key_configured ? 'good' : 'neutral'}>{t(config.env_api_key_configured ? 'apiKeys.config.envKeyOn' : 'apiKeys.config.envKeyOff')}</Badge>
      </dd>
      <dt className="font-medium text-slate-800">{t('apiKeys.config.rateGuest')}</dt>
      <dd>{t('apiKeys.config.perMin', { n: config.rate_limits.guest_per_min })}</dd>
      <dt className="font-medium text-slate-800">{t('apiKeys.config.rateAuth')}</dt>
      <dd>{t('apiKeys.config.perMin', { n: config.rate_limits.authenticated_per_min })}</dd>
    </dl>
  );
}

/** Where the API is, what limits it applies, and requests to copy (the key as a placeholder, never a secret). */
export function ApiConfigSection() {
  const config = useApiConfig();
  return (
    <Card className="mt-8" aria-labelledby="api-config-title">
      <h2 id="api-config-title" className="mb-4 text-xl font-semibold text-slate-900">
        {t('apiKeys.config.title')}
      </h2>
      {config.isPending ? (
        <Loading label={t('apiKeys.config.loading')} />
      ) : config.isError ? (
        <ErrorPanel message={errorMessage(config.error)} onRetry={() => void config.refetch()} />
      ) : (
        <>
          <ConfigFacts config={config.data} />
          <h3 className="mb-1 text-lg font-semibold text-slate-900">{t('apiKeys.config.examples')}</h3>
          <p className="mb-4 text-slate-700">{t('apiKeys.config.examplesIntro')}</p>
          {apiExamples(config.data.endpoint).map((ex) => (
            <section key={ex.id} aria-label={t(EXAMPLE_TITLE[ex.id])} className="mb-2">
              <h4 className="mb-2 font-semibold text-slate-900">{t(EXAMPLE_TITLE[ex.id])}</h4>
              <CodeBlock code={ex.curl} label={`${t(EXAMPLE_TITLE[ex.id])}: ${t('apiKeys.config.curl')}`} />
              <CodeBlock code={ex.js} label={`${t(EXAMPLE_TITLE[ex.id])}: ${t('apiKeys.config.js')}`} />
            </section>
          ))}
          {config.data.examples.length > 0 ? (
            <details className="mb-4">
              <summary className="cursor-pointer font-medium text-blue-800">{t('apiKeys.config.serverExamples')}</summary>
              <div className="mt-3">
                {config.data.examples.map((ex) => (
                  <CodeBlock key={ex.title} code={ex.curl} label={ex.title} />
                ))}
              </div>
            </details>
          ) : null}
          <p>
            <a href="/api/docs" className="font-medium text-blue-800 underline">
              {t('apiKeys.config.docs')}
            </a>{' '}
            <span className="text-slate-700">{t('apiKeys.config.docsHint')}</span>
          </p>
        </>
      )}
    </Card>
  );
}
