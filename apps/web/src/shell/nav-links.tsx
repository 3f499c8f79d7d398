import { Link, useRoute } from 'wouter';
import { roleAtLeast, type User } from '@inkwell/contracts';
import { t, type MessageKey } from '../i18n/i18n';
import { isAdmin } from '../session/session';
import { cx } from '../ui/cx';

interface NavItem {
  readonly href: string;
  readonly label: MessageKey;
  /** A server page (not part of this app): a plain link that leaves the app. */
  readonly external?: true;
}

/** What each visitor may see: guests the reader; signed-in users also batches; admins the portal. */
export function navItems(user: User | null): { readonly main: readonly NavItem[]; readonly admin: readonly NavItem[] } {
  const main: NavItem[] = [{ href: '/', label: 'nav.read' }];
  if (user) main.push({ href: '/batch', label: 'nav.batch' });
  // Every signed-in user reads the registry; viewers see it without any control that changes it.
  if (user) main.push({ href: '/models', label: 'models.nav' });
  // Benchmarks and reports: everyone signed in reads them; the pages hide what a role may not do.
  if (user) main.push({ href: '/benchmarks', label: 'benchmarks.nav' }, { href: '/reports', label: 'reports.nav' });
  if (user && roleAtLeast(user.role, 'engineer')) main.push({ href: '/datasets', label: 'datasets.nav' }, { href: '/training', label: 'training.nav' }, { href: '/tuning', label: 'tuning.nav' });
  const admin: NavItem[] = isAdmin(user)
    ? [
        { href: '/admin/dashboard', label: 'nav.dashboard' },
        { href: '/admin/users', label: 'nav.users' },
        { href: '/admin/api-keys', label: 'nav.apiKeys' },
        { href: '/admin/audit', label: 'nav.audit' },
        { href: '/admin/queues', label: 'nav.queues', external: true },
      ]
    : [];
  return { main, admin };
}

const linkClass = (active: boolean): string =>
  cx(
    // nowrap: a narrow row wraps whole links onto the next line, never a label inside one ("API / keys").
    'block rounded-md px-3 py-2 font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-blue-700',
    active ? 'bg-blue-100 text-blue-900' : 'text-slate-800 hover:bg-slate-100',
  );

export function NavLink({ item, onNavigate }: { readonly item: NavItem; readonly onNavigate?: () => void }) {
  const [active] = useRoute(item.href);
  if (item.external) {
    return (
      <a href={item.href} className={linkClass(false)}>
        {t(item.label)}
      </a>
    );
  }
  return (
    <Link href={item.href} className={linkClass(active)} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
      {t(item.label)}
    </Link>
  );
}
