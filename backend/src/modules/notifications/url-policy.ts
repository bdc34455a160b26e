import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressProblem } from '@syntra/shared';

/**
 * SSRF policy for channel URLs: a webhook, Slack or Discord URL must reach a public address unless
 * the organisation is the installation's admin organisation or the operator set
 * SYNTRA_WEBHOOK_ALLOW_PRIVATE=true. Checked when a URL is saved and again on every connection
 * (the lookup below), since a name may resolve elsewhere by the time a delivery is sent.
 */
export function addressRefusal(ip: string, allowPrivate: boolean): string | null {
  // The git policy's ranges; its advice names the git variable, ours is the webhook one.
  const never = addressProblem(ip, { allow_private: true, denied_addresses: [] });
  if (never) return never;
  if (allowPrivate || !addressProblem(ip, { allow_private: false, denied_addresses: [] })) return null;
  return `${ip} is a loopback, link-local or private address; channel URLs must reach a public address (the operator may set SYNTRA_WEBHOOK_ALLOW_PRIVATE=true)`;
}

export type Resolve = (host: string) => Promise<string[]>;
export const systemResolve: Resolve = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Why `url` may not be a channel URL, or null. A name that does not resolve now is let through: the send-time lookup decides. */
export async function channelUrlProblem(url: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not carry credentials in the URL';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return null;
  }
  for (const ip of addresses) {
    const problem = addressRefusal(ip, allowPrivate);
    if (problem) return host === ip ? problem : `${host} resolves to ${problem}`;
  }
  return null;
}

/** A `lookup` for http.request that refuses what the policy refuses, so the address connected to is the one checked. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      for (const a of list) {
        const problem = addressRefusal(a.address, allowPrivate);
        if (problem) return callback(Object.assign(new Error(`refused: ${problem}`), { code: 'ESSRF' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
