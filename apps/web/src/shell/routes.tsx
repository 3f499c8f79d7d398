import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { AccountPage } from '../features/account/account-page';
import { ReadPage } from '../features/read/read-page';
import { t } from '../i18n/i18n';
import { isAdmin, useSession } from '../session/session';
import { SignInPage } from '../session/sign-in-page';
import { Card } from '../ui/card';
import { Loading } from '../ui/feedback';

// Everything but the reader loads on first visit, so a guest's first load carries only the reader.
const page = (load: () => Promise<ComponentType>): LazyExoticComponent<ComponentType> => lazy(async () => ({ default: await load() }));
const BatchPage = page(async () => (await import('../features/batch/batch-page')).BatchPage);
const UsersPage = page(async () => (await import('../features/admin/users/users-page')).UsersPage);
const ApiKeysPage = page(async () => (await import('../features/admin/api-keys/api-keys-page')).ApiKeysPage);
const DashboardPage = page(async () => (await import('../features/admin/dashboard/dashboard-page')).DashboardPage);
const AuditPage = page(async () => (await import('../features/admin/audit/audit-page')).AuditPage);

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

function SignedIn({ component: Page }: { readonly component: ComponentType }) {
  const { user } = useSession();
  return user ? <Page /> : <Redirect to="/sign-in" />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/" component={ReadPage} />
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/account" component={AccountPage} />
        <Route path="/batch">{() => <SignedIn component={BatchPage} />}</Route>
        <Route path="/admin">{() => <Redirect to="/admin/dashboard" />}</Route>
        <Route path="/admin/dashboard">{() => <AdminOnly component={DashboardPage} />}</Route>
        <Route path="/admin/users">{() => <AdminOnly component={UsersPage} />}</Route>
        <Route path="/admin/api-keys">{() => <AdminOnly component={ApiKeysPage} />}</Route>
        <Route path="/admin/audit">{() => <AdminOnly component={AuditPage} />}</Route>
        <Route>{() => <Notice title={t('page.notFound')} hint={t('page.notFoundHint')} />}</Route>
      </Switch>
    </Suspense>
  );
}
