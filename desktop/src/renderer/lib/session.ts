import type { OrgSummary, User } from '@syntra/shared';
import { create } from 'zustand';
import { desktop } from './platform.js';

export interface SessionInfo {
  /** The control plane; '' means this page's own origin (web console). */
  baseUrl: string;
  /** The bearer token (desktop app); null in the web console, whose session is an HttpOnly cookie. */
  token: string | null;
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

// The web console's session is an HttpOnly cookie that script cannot read (so an XSS cannot steal
// it); the readable CSRF cookie beside it says whether one is set. The desktop app keeps its token
// in main's safeStorage and holds it here in memory only.
const CSRF_COOKIE = 'syntra_csrf';
/** Where older consoles kept the web session token: removed on start. */
const LEGACY_WEB_KEY = 'syntra.session';
const ORG_KEY = 'syntra.org';

/** The CSRF token the server set beside the web session cookie (sent back as X-CSRF-Token). */
export function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE && value.length) return decodeURIComponent(value.join('=')) || null;
  }
  return null;
}

export const useSession = create<SessionState>((set, get) => ({
  status: 'loading',
  session: null,
  user: null,
  orgs: [],
  orgId: null,
  signedOutBy: null,
  setSignedIn: (session) => {
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
    // An ended web session leaves its CSRF cookie behind; without this the next start would look signed in.
    if (!desktop) document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
    set({ status: 'signed_out', session: null, user: null, orgs: [], orgId: null, signedOutBy: by });
  },
}));

/** Restores the session at start: from main (desktop), or the session cookie (web; /auth/me then confirms it). */
export async function restoreSession(): Promise<void> {
  const store = useSession.getState();
  if (desktop) {
    const active = await desktop.session.get();
    if (active) store.setSignedIn({ baseUrl: active.account.base_url, token: active.token, accountId: active.account.id });
    else store.setSignedOut();
    return;
  }
  localStorage.removeItem(LEGACY_WEB_KEY);
  if (csrfToken()) store.setSignedIn({ baseUrl: '', token: null, accountId: 'web' });
  else store.setSignedOut();
}

export function currentRole(): OrgSummary['role'] | null {
  const { orgs, orgId } = useSession.getState();
  return orgs.find((o) => o.id === orgId)?.role ?? null;
}
