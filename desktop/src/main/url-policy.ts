import { pathToFileURL } from 'node:url';

/** Only web links leave the app, never file:, javascript: or custom schemes. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The app's own page (the bundled renderer), whatever hash route it shows. */
export function isAppUrl(url: string, rendererIndex: string): boolean {
  try {
    const u = new URL(url);
    const own = pathToFileURL(rendererIndex);
    return u.protocol === 'file:' && u.pathname === own.pathname;
  } catch {
    return false;
  }
}
