import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contractPath, contracts } from '@syntra/shared';

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** RFC 7636 S256: a 43-character base64url verifier and its SHA-256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const DONE_PAGE = `<!doctype html><meta charset="utf-8"><title>Syntra</title>
<body style="font-family:system-ui;padding:3rem;text-align:center"><h1>Signed in</h1><p>You can close this tab and return to Syntra.</p></body>`;

export interface SessionResult {
  token: string;
  user: { email: string; name: string | null };
}

/**
 * Native-app OAuth (RFC 8252): listen on a loopback port, open the system browser at the control
 * plane's start URL with our PKCE challenge, wait for the one-time code on the loopback redirect,
 * then exchange it with the verifier. The token never passes through the renderer.
 */
export async function signInWithBrowser(opts: {
  baseUrl: string;
  provider: string;
  openExternal: (url: string) => Promise<void>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<SessionResult> {
  const doFetch = opts.fetch ?? fetch;
  const pkce = createPkce();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  try {
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Sign-in timed out: the browser never came back.')), opts.timeoutMs ?? 5 * 60_000);
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        if (url.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        const got = url.searchParams.get('code');
        const error = url.searchParams.get('error');
        res.writeHead(got ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' }).end(got ? DONE_PAGE : 'Sign-in failed; return to Syntra.');
        clearTimeout(timer);
        if (got) resolve(got);
        else reject(new Error(error ? `Sign-in failed: ${error}` : 'Sign-in failed: no code returned.'));
      });
      const start = new URL(contractPath(contracts.getAuthOauthByProviderStart, { params: { provider: opts.provider } }), opts.baseUrl);
      start.searchParams.set('redirect_uri', redirectUri);
      start.searchParams.set('code_challenge', pkce.challenge);
      opts.openExternal(start.toString()).catch(reject);
    });
    const res = await doFetch(new URL(contracts.postAuthOauthExchange.path, opts.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, code_verifier: pkce.verifier }),
    });
    const body = (await res.json()) as { success: boolean; data?: SessionResult; error?: { message: string } };
    if (!body.success || !body.data) throw new Error(body.error?.message ?? `Sign-in failed (HTTP ${res.status}).`);
    return body.data;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
