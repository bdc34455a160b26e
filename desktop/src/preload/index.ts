// The preload exposes a narrow, typed API as `window.api`: one function per channel, never
// ipcRenderer itself and never a generic "invoke anything" gateway.
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopApi } from '../shared/api.js';
import { IPC, type IpcKey, type IpcRequest, type IpcResponse, type IpcResult, NAVIGATE_EVENT } from '../shared/ipc.js';

async function call<K extends IpcKey>(key: K, payload: IpcRequest<K>): Promise<IpcResponse<K>> {
  const result = (await ipcRenderer.invoke(IPC[key].name, payload)) as IpcResult<IpcResponse<K>>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.data;
}

const api: DesktopApi = {
  accounts: {
    list: () => call('accountsList', {}),
    switchTo: (accountId) => call('accountsSwitch', { account_id: accountId }),
  },
  session: {
    get: () => call('sessionGet', {}),
    save: (input) => call('sessionSave', input),
    clear: (accountId) => call('sessionClear', { account_id: accountId }),
    oauthSignIn: (baseUrl, provider) => call('oauthSignIn', { base_url: baseUrl, provider }),
    deviceProof: async (baseUrl, email) => (await call('deviceProofGet', { base_url: baseUrl, email })).device_token,
  },
  cache: {
    load: (accountId) => call('cacheLoad', { account_id: accountId }),
    save: async (accountId, data) => void (await call('cacheSave', { account_id: accountId, data })),
  },
  live: { report: async (snapshot) => void (await call('liveSnapshot', snapshot)) },
  notifications: {
    rules: () => call('rulesGet', {}),
    setRules: (rules) => call('rulesSet', rules),
  },
  openExternal: async (url) => void (await call('openExternal', { url })),
  onNavigate: (listener) => {
    const handler = (_event: unknown, payload: { path?: unknown }) => {
      if (typeof payload?.path === 'string' && payload.path.startsWith('/')) listener(payload.path);
    };
    ipcRenderer.on(NAVIGATE_EVENT, handler);
    return () => ipcRenderer.off(NAVIGATE_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('api', api);
