import { contracts, type OrgSummary, type User } from '@syntra/shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { call } from './lib/api-client.js';
import { keys } from './lib/queries.js';
import { loadPersistedCache, queryClient, restoreCache } from './lib/query-client.js';
import { restoreSession, useSession } from './lib/session.js';
import { initTheme } from './lib/theme.js';
import './styles.css';

async function boot() {
  initTheme();
  await restoreSession();
  const session = useSession.getState().session;
  if (session) {
    // Start the profile request and the overview's code now, not after the first render (no waterfall).
    void queryClient.prefetchQuery({ queryKey: keys.me, queryFn: () => call(contracts.getAuthMe, {}) });
    if (window.location.pathname === '/' || window.location.hash === '' || window.location.hash === '#/') void import('./pages/OverviewPage.js');
    // Last-known state first: the console opens instantly, and offline it still has something to show.
    if (restoreCache(await loadPersistedCache(session.accountId).catch(() => null))) {
      // Shown at once, but all of it is last-known: every query refetches when its page mounts.
      void queryClient.invalidateQueries({ refetchType: 'none' });
      const me = queryClient.getQueryData<{ user: User; orgs: OrgSummary[] }>(keys.me);
      if (me) useSession.getState().setProfile(me.user, me.orgs);
    }
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
