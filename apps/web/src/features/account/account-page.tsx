import { Redirect } from 'wouter';
import { t } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Card } from '../../ui/card';

export function AccountPage() {
  const { user } = useSession();
  if (!user) return <Redirect to="/sign-in" />;
  return (
    <Card className="mx-auto max-w-xl">
      <h1 className="mb-4 text-2xl font-semibold">{t('account.title')}</h1>
      <dl className="account grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
        <dt className="font-medium text-slate-700">{t('account.name')}</dt>
        <dd className="break-all">{user.name}</dd>
        <dt className="font-medium text-slate-700">{t('account.email')}</dt>
        <dd className="break-all">{user.email}</dd>
        <dt className="font-medium text-slate-700">{t('account.role')}</dt>
        <dd>{user.role}</dd>
      </dl>
    </Card>
  );
}
