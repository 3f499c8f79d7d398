import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { signOut } from '../api/auth-api';
import { errorMessage } from '../api/error-message';
import { t } from '../i18n/i18n';
import { useSession } from '../session/session';
import { Button } from '../ui/button';
import { FormError } from '../ui/feedback';
import { NavLink, navItems } from './nav-links';

/** Header with role-based navigation (a menu button below `md`), then the page. */
export function AppShell({ children }: { readonly children: ReactNode }) {
  const { user, setUser } = useSession();
  const [, navigate] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { main, admin } = navItems(user);

  async function leave() {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      setUser(null);
      navigate('/sign-in');
    } catch (e) {
      // The cookies are only cleared by the server; claiming to be signed out would be false.
      setError(t('signOut.failed', { reason: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  }

  const close = () => setMenuOpen(false);
  const links = (
    <>
      <ul className="flex flex-col gap-1 md:flex-row md:flex-wrap md:items-center">
        {main.map((item) => (
          <li key={item.href}>
            <NavLink item={item} onNavigate={close} />
          </li>
        ))}
      </ul>
      {admin.length > 0 ? (
        <ul className="flex flex-col gap-1 border-t border-slate-200 pt-2 md:flex-row md:flex-wrap md:items-center md:border-t-0 md:border-l md:pt-0 md:pl-2" aria-label={t('nav.admin')}>
          {admin.map((item) => (
            <li key={item.href}>
              <NavLink item={item} onNavigate={close} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );

  return (
    <div className="min-h-screen bg-slate-50 text-slate-900">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t('nav.skip')}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-2">
          <Link href="/" className="text-xl font-bold text-blue-800">
            {t('app.name')}
          </Link>
          <Button variant="secondary" size="sm" className="ml-auto md:hidden" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
            {t('nav.menu')}
          </Button>
          <nav id="main-nav" aria-label={t('nav.label')} className={`${menuOpen ? 'flex' : 'hidden'} w-full flex-col gap-2 md:flex md:w-auto md:min-w-0 md:flex-1 md:flex-row md:flex-wrap md:items-center`}>
            {links}
            <div className="flex flex-wrap items-center gap-2 md:ml-auto">
              {user ? (
                <>
                  {/* One line, cut short with "…" when long: the full name stays in the link's text for screen readers and on the account page. */}
                  <Link href="/account" className="max-w-56 truncate px-1 whitespace-nowrap text-slate-800 underline-offset-2 hover:underline" title={user.name} onClick={close}>
                    {t('nav.signedInAs', { name: user.name })}
                  </Link>
                  <Button variant="secondary" size="sm" onClick={() => void leave()} disabled={busy}>
                    {busy ? t('nav.signingOut') : t('nav.signOut')}
                  </Button>
                </>
              ) : (
                <NavLink item={{ href: '/sign-in', label: 'nav.signIn' }} onNavigate={close} />
              )}
            </div>
          </nav>
        </div>
      </header>
      {/* Only while there is one: an empty alert region here would sit beside every form's own. */}
      {error ? (
        <div className="mx-auto max-w-6xl px-4">
          <FormError message={error} />
        </div>
      ) : null}
      <main id="content" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
