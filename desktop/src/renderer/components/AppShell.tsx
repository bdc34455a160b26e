import { contracts, roleCan } from '@syntra/shared';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { call } from '../lib/api-client.js';
import { useRole } from '../lib/can.js';
import { useConnection } from '../lib/connection.js';
import { desktop } from '../lib/platform.js';
import { clearWebCache } from '../lib/query-client.js';
import { csrfToken, useSession } from '../lib/session.js';
import { useTheme } from '../lib/theme.js';
import { NAV } from '../nav.js';
import { AccountSwitcher } from './AccountSwitcher.js';
import { AlertBell, AlertToasts } from './AlertBell.js';
import { CommandPalette } from './CommandPalette.js';
import { NewOrgDialog } from './NewOrgDialog.js';
import { Skeleton } from './ui.js';

function OfflineBanner() {
  const online = useConnection((s) => s.online);
  const since = useConnection((s) => s.since);
  if (online) return null;
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      Offline since {new Date(since).toLocaleTimeString()} — showing the last-known state, read-only. Syntra reconnects by itself.
    </div>
  );
}

const NEW_ORG = '__new';

function OrgSwitcher() {
  const orgs = useSession((s) => s.orgs);
  const orgId = useSession((s) => s.orgId);
  const setOrg = useSession((s) => s.setOrg);
  const online = useConnection((s) => s.online);
  const [creating, setCreating] = useState(false);
  if (orgs.length === 0) return null;
  return (
    <>
      <select className="org-switcher" aria-label="Organisation" value={orgId ?? ''} onChange={(e) => (e.target.value === NEW_ORG ? setCreating(true) : setOrg(e.target.value))}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
          </option>
        ))}
        {online && <option value={NEW_ORG}>New organisation…</option>}
      </select>
      <NewOrgDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

export function AppShell() {
  const role = useRole();
  const user = useSession((s) => s.user);
  const session = useSession((s) => s.session);
  const setSignedOut = useSession((s) => s.setSignedOut);
  const live = useConnection((s) => s.streamConnected && s.online);
  const toggleTheme = useTheme((s) => s.toggle);
  const navigate = useNavigate();
  const client = useQueryClient();

  const signOut = async () => {
    // The token is passed explicitly: a 401 of this call must not count as the session expiring.
    const ending = session;
    // Signing out clears the web session's CSRF cookie at once; the logout request still needs its value.
    const csrf = csrfToken();
    setSignedOut('user');
    client.clear();
    await navigate('/login', { replace: true });
    if (!ending) return;
    await call(contracts.postAuthLogout, { token: ending.token, baseUrl: ending.baseUrl, headers: csrf ? { 'x-csrf-token': csrf } : undefined }).catch(() => undefined);
    if (desktop) await desktop.session.clear(ending.accountId).catch(() => undefined);
    else clearWebCache(ending.accountId);
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="logo" aria-hidden>◎</span> Syntra
        </div>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.permission || (role && roleCan(role, n.permission))).map((n) => (
            <NavLink key={n.path} to={n.path} end={n.path === '/'} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-foot muted small">
          <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump anywhere
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <OrgSwitcher />
          <span className={`live-dot ${live ? 'on' : ''}`} title={live ? 'Live updates connected' : 'Live updates not connected'}>
            {live ? 'Live' : 'Not live'}
          </span>
          <div className="topbar-right">
            <AlertBell />
            {desktop && <AccountSwitcher />}
            <button className="btn btn-ghost" onClick={toggleTheme} aria-label="Toggle theme" title="Toggle light/dark">
              ◐
            </button>
            <span className="muted small" data-testid="current-user">
              {user?.email}
            </span>
            <button className="btn btn-ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </header>
        <OfflineBanner />
        <main className="content">
          <Suspense fallback={<Skeleton rows={6} />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      <CommandPalette />
      <AlertToasts />
    </div>
  );
}
