import { roleAtLeast } from '@inkwell/contracts';
import { Link } from 'wouter';
import { t } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { PageHeader } from '../../ui/card';
import { BenchmarkForm } from './benchmark-form';
import { BenchmarksList } from './benchmarks-list';

/** Benchmarks: engineers start one; everyone signed in reads them. */
export function BenchmarksPage() {
  const { user } = useSession();
  const engineer = user !== null && roleAtLeast(user.role, 'engineer');
  return (
    <>
      <PageHeader
        title={t('benchmarks.title')}
        description={t(engineer ? 'benchmarks.description' : 'benchmarks.descriptionViewer')}
        actions={
          <Link href="/reports?kind=benchmark" className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-blue-800 hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-blue-700">
            {t('benchmarks.reportsLink')}
          </Link>
        }
      />
      <div className="grid gap-6 [&>*]:min-w-0">
        {engineer ? <BenchmarkForm /> : null}
        <BenchmarksList />
      </div>
    </>
  );
}
