// The thin Electron adapter: windows, tray, notifications, safeStorage and ipcMain wired to the
// plain modules in this folder (which are tested in Node without Electron).
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, safeStorage, session, shell, Tray } from 'electron';
import { NAVIGATE_EVENT } from '../shared/ipc.js';
import { corsOverride } from './cors-policy.js';
import { createDesktopCore } from './desktop-core.js';
import { createIpcRouter } from './ipc-router.js';
import type { TrayMenuItem, TrayState } from './tray-state.js';
import { TRAY_TOOLTIP } from './tray-state.js';
import { isAppUrl, isSafeExternalUrl } from './url-policy.js';

let window: BrowserWindow | null = null;
let tray: Tray | null = null;
let quitting = false;
/** The tray menu's acknowledge action (set once the core exists). */
let ackFromTray: ((eventId: string) => Promise<unknown>) | null = null;

const resourcesDir = app.isPackaged ? process.resourcesPath : path.resolve(import.meta.dirname, '../../../resources');
const rendererIndex = path.resolve(import.meta.dirname, '../renderer/index.html');

function trayIcon(state: TrayState) {
  return nativeImage.createFromPath(path.join(resourcesDir, 'tray', `tray-${state}.png`));
}

async function openExternal(url: string) {
  if (!isSafeExternalUrl(url)) throw new Error('refused to open a non-http(s) link');
  await shell.openExternal(url);
}

function showWindow(navigateTo?: string) {
  if (!window || window.isDestroyed()) window = createWindow();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (navigateTo) window.webContents.send(NAVIGATE_EVENT, { path: navigateTo });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Syntra',
    icon: path.join(resourcesDir, 'icon.png'),
    webPreferences: {
      preload: path.resolve(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // The hidden window keeps the live stream and feeds the tray and notifications: no throttled timers.
      backgroundThrottling: false,
    },
  });
  // Closing the window hides it to the tray (as Docker Desktop and Slack do): the renderer keeps its
  // stream, so the tray icon and notifications stay live. Quit from the tray menu or the app menu.
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  // Links leave the app for the system browser; the window itself never navigates away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererIndex)) {
      event.preventDefault();
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
    }
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex);
  return win;
}

function applyTray(state: TrayState, items: TrayMenuItem[]) {
  if (!tray) return;
  tray.setImage(trayIcon(state));
  tray.setToolTip(TRAY_TOOLTIP[state]);
  tray.setContextMenu(
    Menu.buildFromTemplate(
      items.map((item) =>
        item.separator
          ? { type: 'separator' as const }
          : {
              label: item.label,
              enabled: item.enabled ?? true,
              click: () => {
                if (item.action?.kind === 'quit') app.quit();
                else if (item.action?.kind === 'open') showWindow(item.action.path);
                else if (item.action?.kind === 'ack') void ackFromTray?.(item.action.eventId);
              },
            },
      ),
    ),
  );
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  void app.whenReady().then(() => {
    const core = createDesktopCore({
      dataDir: app.getPath('userData'),
      cipher: safeStorage,
      openExternal,
      notify: (event) => {
        if (!Notification.isSupported()) return;
        const n = new Notification({ title: event.title, body: event.body, icon: path.join(resourcesDir, 'icon.png') });
        n.on('click', () => showWindow(event.path));
        n.show();
      },
      setTray: applyTray,
    });
    ackFromTray = (eventId) => core.ackAlert(eventId);
    const router = createIpcRouter(core.handlers, (err, channel) => console.error(`ipc ${channel} failed`, err));
    for (const name of router.channels) {
      ipcMain.handle(name, (event, payload: unknown) => {
        // Only our own renderer may call main.
        if (!isAppUrl(event.senderFrame?.url ?? '', rendererIndex)) {
          return { ok: false, error: { code: 'FORBIDDEN', message: 'unknown sender' } };
        }
        return router.dispatch(name, payload);
      });
    }
    session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
      callback(corsOverride(details, window && !window.isDestroyed() ? window.webContents.id : null)),
    );
    tray = new Tray(trayIcon('disconnected'));
    applyTray('disconnected', [{ label: 'Open console', action: { kind: 'open', path: '/' } }, { label: 'Quit Syntra', action: { kind: 'quit' } }]);
    tray.on('click', () => showWindow());
    window = createWindow();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  // The tray keeps the app alive with no window: closing the window does not quit.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => showWindow());
}
