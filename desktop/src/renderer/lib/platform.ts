import type { DesktopApi } from '../../shared/api.js';

declare global {
  interface Window {
    api?: DesktopApi;
  }
}

/** The Electron bridge when running in the desktop app; null in the web console. */
export const desktop: DesktopApi | null = typeof window !== 'undefined' && window.api ? window.api : null;
export const isDesktop = desktop !== null;
