import { describe, expect, it } from 'vitest';
import { corsOverride } from './cors-policy.js';

const APP = 7;

describe('CORS for the desktop renderer', () => {
  it('lets our window call any control plane API, exposing the request id', () => {
    const out = corsOverride({ url: 'https://ops.example.com/api/v1/servers', method: 'GET', webContentsId: APP, responseHeaders: { 'X-Request-Id': ['r1'] } }, APP);
    expect(out.responseHeaders?.['Access-Control-Allow-Origin']).toEqual(['*']);
    expect(out.responseHeaders?.['Access-Control-Expose-Headers']).toEqual(['x-request-id']);
    expect(out.responseHeaders?.['X-Request-Id']).toEqual(['r1']);
    expect(out.statusLine).toBeUndefined();
  });

  it('answers preflights with 204 even when the API router does not know OPTIONS', () => {
    const out = corsOverride({ url: 'http://127.0.0.1:8080/api/v1/tokens', method: 'OPTIONS', webContentsId: APP }, APP);
    expect(out.statusLine).toBe('HTTP/1.1 204 No Content');
    expect(out.responseHeaders?.['Access-Control-Allow-Headers']?.[0]).toContain('authorization');
  });

  it('leaves other windows, non-API paths and other schemes alone', () => {
    expect(corsOverride({ url: 'https://ops.example.com/api/v1/servers', method: 'GET', webContentsId: 99 }, APP)).toEqual({});
    expect(corsOverride({ url: 'https://ops.example.com/install.sh', method: 'GET', webContentsId: APP }, APP)).toEqual({});
    expect(corsOverride({ url: 'file:///etc/passwd', method: 'GET', webContentsId: APP }, APP)).toEqual({});
    expect(corsOverride({ url: 'https://x.example.com/api/v1/me', method: 'GET', webContentsId: APP }, null)).toEqual({});
  });
});
