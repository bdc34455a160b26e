/**
 * The desktop renderer is a file:// page (origin "null") talking to a control plane on http(s):
 * a cross-origin request the browser engine would block. The backend sends no CORS headers (its
 * API uses bearer tokens, never cookies), so main adds them — only for responses to requests made
 * by our own window, to an API path, never for anything else the window might load.
 */
export interface ResponseDetails {
  url: string;
  method: string;
  webContentsId?: number;
  responseHeaders?: Record<string, string[]>;
}

const API_PATH = /^\/(api\/|healthz$)/;

export function corsOverride(details: ResponseDetails, appWebContentsId: number | null): { responseHeaders?: Record<string, string[]>; statusLine?: string } {
  if (appWebContentsId === null || details.webContentsId !== appWebContentsId) return {};
  let url: URL;
  try {
    url = new URL(details.url);
  } catch {
    return {};
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !API_PATH.test(url.pathname)) return {};
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(details.responseHeaders ?? {})) if (!k.toLowerCase().startsWith('access-control-')) headers[k] = v;
  headers['Access-Control-Allow-Origin'] = ['*'];
  headers['Access-Control-Allow-Headers'] = ['authorization, content-type, x-org-id, x-request-id'];
  headers['Access-Control-Allow-Methods'] = ['GET, POST, PUT, PATCH, DELETE'];
  headers['Access-Control-Expose-Headers'] = ['x-request-id'];
  headers['Access-Control-Max-Age'] = ['600'];
  // A preflight the API router does not know (404/405) must still succeed for the real request to go out.
  return details.method === 'OPTIONS' ? { responseHeaders: headers, statusLine: 'HTTP/1.1 204 No Content' } : { responseHeaders: headers };
}
