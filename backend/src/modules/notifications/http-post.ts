import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './url-policy.js';

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const TIMEOUT_MS = 10_000;
/** Enough of a receiver's answer to show in the delivery log. */
const MAX_ERROR_BODY = 300;

/** POSTs a JSON body; never throws (the outcome is the delivery log's attempt). */
export function postJson(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<PostResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const done = (statusCode: number | null, error: string | null) => resolve({ statusCode, error, durationMs: Date.now() - started });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return done(null, 'not a URL');
    }
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Syntra-Alerts/1', ...headers },
        lookup: guardedLookup(allowPrivate),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < MAX_ERROR_BODY) text += chunk;
        });
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          done(code, code >= 200 && code < 300 ? null : `HTTP ${code}${text ? `: ${text.slice(0, MAX_ERROR_BODY)}` : ''}`);
        });
        res.on('error', (err) => done(code(res), err.message));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', (err) => done(null, err.message));
    request.end(body);
  });
}

function code(res: http.IncomingMessage): number | null {
  return res.statusCode ?? null;
}
