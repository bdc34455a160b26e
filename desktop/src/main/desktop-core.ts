import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_NOTIFICATION_RULES,
  type LiveSnapshot,
  type NotificationRules,
  NotificationRulesSchema,
} from '../shared/ipc.js';
import { AccountsStore } from './accounts-store.js';
import { writeFileAtomic } from './atomic-file.js';
import { CacheStore } from './cache-store.js';
import { type IpcHandlers, IpcUserError } from './ipc-router.js';
import { eventsBetween, type LiveEvent, shouldNotify } from './notification-rules.js';
import { signInWithBrowser } from './oauth-loopback.js';
import { type SecretCipher, TokenStore } from './token-store.js';
import { type TrayMenuItem, trayMenuOf, trayStateOf, type TrayState } from './tray-state.js';

/** What the Electron adapter provides; tests pass fakes. */
export interface DesktopPorts {
  dataDir: string;
  cipher: SecretCipher;
  openExternal(url: string): Promise<void>;
  notify(event: LiveEvent): void;
  setTray(state: TrayState, menu: TrayMenuItem[]): void;
  fetch?: typeof fetch;
  now?: () => Date;
}

const MAX_ALERTS = 10;
/** What the tray's "recent alerts" keeps: things that went wrong (not recoveries or successes). */
const ALERT_KINDS = new Set<LiveEvent['kind']>(['server_offline', 'deployment_failed', 'issue_new', 'issue_regressed']);

/**
 * The main process without Electron: accounts, tokens, cache, notification rules, tray state.
 * `index.ts` wires it to ipcMain, Tray, Notification and safeStorage.
 */
export function createDesktopCore(ports: DesktopPorts) {
  const now = ports.now ?? (() => new Date());
  const accounts = new AccountsStore(ports.dataDir);
  const tokens = new TokenStore(ports.dataDir, ports.cipher);
  const cache = new CacheStore(path.join(ports.dataDir, 'cache'), now);
  const rulesFile = path.join(ports.dataDir, 'notification-rules.json');
  let last: LiveSnapshot | null = null;
  const alerts: { title: string; path: string }[] = [];

  const readRules = (): NotificationRules => {
    try {
      return NotificationRulesSchema.parse(JSON.parse(fs.readFileSync(rulesFile, 'utf8')));
    } catch {
      return DEFAULT_NOTIFICATION_RULES;
    }
  };

  // Device proofs sit beside the session tokens (same keychain encryption) under their own key and
  // survive sign-out: signing out does not make this machine a stranger to the control plane.
  const deviceKey = (accountId: string) => `device:${accountId}`;

  const saveSession = (baseUrl: string, token: string, email: string, name: string | null, deviceToken?: string) => {
    const base = new URL(baseUrl).origin;
    const id = AccountsStore.idOf(base, email);
    tokens.set(id, token);
    if (deviceToken) tokens.set(deviceKey(id), deviceToken);
    return accounts.upsert({ id, base_url: base, email, name });
  };

  const applySnapshot = (snapshot: LiveSnapshot) => {
    const events = eventsBetween(last, snapshot);
    last = snapshot;
    const rules = readRules();
    for (const event of events) {
      if (ALERT_KINDS.has(event.kind)) {
        alerts.unshift({ title: event.title, path: event.path });
        alerts.splice(MAX_ALERTS);
      }
      if (shouldNotify(event, rules, now())) ports.notify(event);
    }
    ports.setTray(trayStateOf(snapshot), trayMenuOf(snapshot, alerts));
  };

  const handlers: IpcHandlers = {
    accountsList: async () => accounts.read(),
    accountsSwitch: async ({ account_id }) => {
      if (!accounts.read().accounts.some((a) => a.id === account_id)) throw new IpcUserError('NOT_FOUND', 'No such account.');
      last = null; // another control plane: its first snapshot is a baseline, not a change
      return accounts.activate(account_id);
    },
    sessionGet: async () => {
      const account = accounts.active();
      if (!account) return null;
      const token = tokens.get(account.id);
      return token ? { account, token } : null;
    },
    sessionSave: async ({ base_url, token, email, name, device_token }) => saveSession(base_url, token, email, name, device_token),
    deviceProofGet: async ({ base_url, email }) => ({ device_token: tokens.get(deviceKey(AccountsStore.idOf(base_url, email))) }),
    sessionClear: async ({ account_id }) => {
      tokens.delete(account_id);
      cache.clear(account_id);
      return accounts.remove(account_id);
    },
    oauthSignIn: async ({ base_url, provider }) => {
      const session = await signInWithBrowser({ baseUrl: base_url, provider, openExternal: ports.openExternal, fetch: ports.fetch }).catch((err: Error) => {
        throw new IpcUserError('OAUTH_FAILED', err.message);
      });
      return saveSession(base_url, session.token, session.user.email, session.user.name);
    },
    cacheLoad: async ({ account_id }) => cache.load(account_id),
    cacheSave: async ({ account_id, data }) => {
      cache.save(account_id, data);
      return { ok: true as const };
    },
    liveSnapshot: async (snapshot) => {
      applySnapshot(snapshot);
      return { ok: true as const };
    },
    rulesGet: async () => readRules(),
    rulesSet: async (rules) => {
      writeFileAtomic(rulesFile, JSON.stringify(rules, null, 2), 0o600);
      return rules;
    },
    openExternal: async ({ url }) => {
      await ports.openExternal(url);
      return { ok: true as const };
    },
  };

  return { handlers, accounts, tokens, cache, applySnapshot, alerts: () => [...alerts] };
}
