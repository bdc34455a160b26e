import type { AccountsState, ActiveSession, IpcRequest, LiveSnapshot, NotificationRules } from './ipc.js';

/** The narrow bridge the preload exposes as `window.api`. The renderer reaches main only through it. */
export interface DesktopApi {
  accounts: {
    list(): Promise<AccountsState>;
    switchTo(accountId: string): Promise<AccountsState>;
  };
  session: {
    get(): Promise<ActiveSession>;
    save(input: IpcRequest<'sessionSave'>): Promise<AccountsState>;
    clear(accountId: string): Promise<AccountsState>;
    oauthSignIn(baseUrl: string, provider: 'github' | 'google'): Promise<AccountsState>;
    deviceProof(baseUrl: string, email: string): Promise<string | null>;
  };
  cache: {
    load(accountId: string): Promise<{ data: string | null; saved_at: string | null }>;
    save(accountId: string, data: string): Promise<void>;
  };
  live: { report(snapshot: LiveSnapshot): Promise<void> };
  notifications: {
    rules(): Promise<NotificationRules>;
    setRules(rules: NotificationRules): Promise<NotificationRules>;
  };
  openExternal(url: string): Promise<void>;
  onNavigate(listener: (path: string) => void): () => void;
}
