import type { OrgSummary, User } from '@syntra/shared';
import { create } from 'zustand';
import { desktop } from './platform.js';

export interface SessionInfo {
  /** The control plane; '' means this page's own origin (web console). */
  baseUrl: string;
  token: string;
  accountId: string;
}

interface SessionState {
  status: 'loading' | 'signed_out' | 'signed_in';
  session: SessionInfo | null;
  user: User | null;
  orgs: OrgSummary[];
  orgId: string | null;
  /** Why we are signed out: the user asked (go to a plain sign-in) or the session ended (come back here after). */
  signedOutBy: 'user' | 'expiry' | null;
  setSignedIn(session: SessionInfo): void;
  setProfile(user: User, orgs: OrgSummary[]): void;
  setOrg(orgId: string): void;
  setSignedOut(by?: 'user' | 'expiry'): void;
}

// The web console keeps its session token in localStorage (there is no keychain in a browser);
// the desktop app keeps it in main's safeStorage and holds it here in memory only.
const WEB_KEY = 'syntra.session';
const ORG_KEY = 'syntra.org';

export const useSession = create<SessionState>((set, get) => ({
  status: 'loading',
  session: null,
  user: null,
  orgs: [],
  orgId: null,
  signedOutBy: null,
  setSignedIn: (session) => {
    if (!desktop) localStorage.setItem(WEB_KEY, JSON.stringify({ token: session.token }));
    set({ session, status: 'signed_in', signedOutBy: null });
  },
  setProfile: (user, orgs) => {
    const saved = localStorage.getItem(`${ORG_KEY}.${user.id}`);
    const current = get().orgId;
    // The user's last explicit choice wins over whatever was picked from an older (cached) org list.
    const pick = [saved, current].find((id) => id && orgs.some((o) => o.id === id)) ?? orgs[0]?.id ?? null;
    set({ user, orgs, orgId: pick });
  },
  setOrg: (orgId) => {
    const user = get().user;
    if (user) localStorage.setItem(`${ORG_KEY}.${user.id}`, orgId);
    set({ orgId });
  },
  setSignedOut: (by = 'expiry') => {
    if (!desktop) localStorage.removeItem(WEB_KEY);
    set({ status: 'signed_out', session: null, user: null, orgs: [], orgId: null, signedOutBy: by });
  },
}));

/** Restores the session at start: from main (desktop) or localStorage (web). */
export async function restoreSession(): Promise<void> {
  const store = useSession.getState();
  if (desktop) {
    const active = await desktop.session.get();
    if (active) store.setSignedIn({ baseUrl: active.account.base_url, token: active.token, accountId: active.account.id });
    else store.setSignedOut();
    return;
  }
  try {
    const saved = JSON.parse(localStorage.getItem(WEB_KEY) ?? 'null') as { token?: string } | null;
    if (saved?.token) store.setSignedIn({ baseUrl: '', token: saved.token, accountId: 'web' });
    else store.setSignedOut();
  } catch {
    store.setSignedOut();
  }
}

export function currentRole(): OrgSummary['role'] | null {
  const { orgs, orgId } = useSession.getState();
  return orgs.find((o) => o.id === orgId)?.role ?? null;
}
