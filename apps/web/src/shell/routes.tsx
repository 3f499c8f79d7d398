import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { roleAtLeast } from '@inkwell/contracts';
import { AccountPage } from '../features/account/account-page';
import { ReadPage } from '../features/read/read-page';
import { t } from '../i18n/i18n';
import { isAdmin, useSession } from '../session/session';
import { SignInPage } from '../session/sign-in-page';
import { Card } from '../ui/card';
import { ErrorBoundary } from '../ui/error-boundary';
import { Loading } from '../ui/feedback';

// Everything but the reader loads on first visit, so a guest's first load carries only the reader.
const page = (load: () => Promise<ComponentType>): LazyExoticComponent<ComponentType> => lazy(async () => ({ default: await load() }));
const BatchPage = page(async () => (await import('../features/batch/batch-page')).BatchPage);
const UsersPage = page(async () => (await import('../features/admin/users/users-page')).UsersPage);
const ApiKeysPage = page(async () => (await import('../features/admin/api-keys/api-keys-page')).ApiKeysPage);
const DashboardPage = page(async () => (await import('../features/admin/dashboard/dashboard-page')).DashboardPage);
const AuditPage = page(async () => (await import('../features/admin/audit/audit-page')).AuditPage);
const DatasetsPage = page(async () => (await import('../features/datasets/datasets-page')).DatasetsPage);
const DatasetPage = page(async () => (await import('../features/datasets/dataset-page')).DatasetPage);
const TrainingPage = page(async () => (await import('../features/training/training-page')).TrainingPage);
const TrainingJobPage = page(async () => (await import('../features/training/job-page')).TrainingJobPage);
const TuningPage = page(async () => (await import('../features/tuning/tuning-page')).TuningPage);
const StudyPage = page(async () => (await import('../features/tuning/study-page')).StudyPage);
const ModelsPage = page(async () => (await import('../features/models/models-page')).ModelsPage);
const ModelPage = page(async () => (await import('../features/models/model-page')).ModelPage);
const ComparePage = page(async () => (await import('../features/models/compare-page')).ComparePage);
const BenchmarksPage = page(async () => (await import('../features/benchmarks/benchmarks-page')).BenchmarksPage);
const BenchmarkPage = page(async () => (await import('../features/benchmarks/benchmark-page')).BenchmarkPage);
const ReportsPage = page(async () => (await import('../features/reports/reports-page')).ReportsPage);
const ReportPage = page(async () => (await import('../features/reports/report-page')).ReportPage);

function Notice({ title, hint }: { readonly title: string; readonly hint: string }) {
  return (
    <Card className="mx-auto max-w-xl">
      <h1 className="mb-2 text-2xl font-semibold">{title}</h1>
      <p className="text-slate-700">{hint}</p>
    </Card>
  );
}

/** Admin pages: a guest is sent to sign in; a signed-in non-admin is told why not. */
function AdminOnly({ component: Page }: { readonly component: ComponentType }) {
  const { user } = useSession();
  if (!user) return <Redirect to="/sign-in" />;
  if (!isAdmin(user)) return <Notice title={t('page.forbidden')} hint={t('page.forbiddenHint')} />;
  return <Page />;
}

/** Engineer pages (datasets, training): a guest is sent to sign in; a viewer is told why not. */
function EngineerOnly({ component: Page }: { readonly component: ComponentType }) {
  const { user } = useSession();
  if (!user) return <Redirect to="/sign-in" />;
  if (!roleAtLeast(user.role, 'engineer')) return <Notice title={t('training.engineersOnly')} hint={t('training.engineersOnlyHint')} />;
  return <Page />;
}

function SignedIn({ component: Page }: { readonly component: ComponentType }) {
  const { user } = useSession();
  return user ? <Page /> : <Redirect to="/sign-in" />;
}

export function AppRoutes() {
  // Keyed by the address: a page that failed is forgotten once the user goes elsewhere.
  const [location] = useLocation();
  return (
    <ErrorBoundary key={location}>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/" component={ReadPage} />
          <Route path="/sign-in" component={SignInPage} />
          <Route path="/account" component={AccountPage} />
          <Route path="/batch">{() => <SignedIn component={BatchPage} />}</Route>
          <Route path="/datasets">{() => <EngineerOnly component={DatasetsPage} />}</Route>
          <Route path="/datasets/:id">{() => <EngineerOnly component={DatasetPage} />}</Route>
          <Route path="/training">{() => <EngineerOnly component={TrainingPage} />}</Route>
          <Route path="/training/:id">{() => <EngineerOnly component={TrainingJobPage} />}</Route>
          <Route path="/tuning">{() => <EngineerOnly component={TuningPage} />}</Route>
          <Route path="/tuning/:id">{() => <EngineerOnly component={StudyPage} />}</Route>
          <Route path="/models">{() => <SignedIn component={ModelsPage} />}</Route>
          {/* Before /models/:id, which would take "compare" for an id. */}
          <Route path="/models/compare">{() => <SignedIn component={ComparePage} />}</Route>
          <Route path="/models/:id">{() => <SignedIn component={ModelPage} />}</Route>
          <Route path="/benchmarks">{() => <SignedIn component={BenchmarksPage} />}</Route>
          <Route path="/benchmarks/:id">{() => <SignedIn component={BenchmarkPage} />}</Route>
          <Route path="/reports">{() => <SignedIn component={ReportsPage} />}</Route>
          <Route path="/reports/:id">{() => <SignedIn component={ReportPage} />}</Route>
          <Route path="/admin">{() => <Redirect to="/admin/dashboard" />}</Route>
          <Route path="/admin/dashboard">{() => <AdminOnly component={DashboardPage} />}</Route>
          <Route path="/admin/users">{() => <AdminOnly component={UsersPage} />}</Route>
          <Route path="/admin/api-keys">{() => <AdminOnly component={ApiKeysPage} />}</Route>
          <Route path="/admin/audit">{() => <AdminOnly component={AuditPage} />}</Route>
          <Route>{() => <Notice title={t('page.notFound')} hint={t('page.notFoundHint')} />}</Route>
        </Switch>
      </Suspense>
    </ErrorBoundary>
  );
}
