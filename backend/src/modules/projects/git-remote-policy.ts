import dns from 'node:dns';
import os from 'node:os';
import { type GitFetchPolicy, addressProblem, parseGitUrl } from '@syntra/shared';

/** Every address a host name resolves to (injectable for tests). */
export type Resolve = (host: string) => Promise<string[]>;
export const systemResolve: Resolve = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const MAX_ADDRESSES = 64;

/**
 * The control plane's own addresses: every interface of this machine plus what PUBLIC_URL's host
 * resolves to (a load balancer in front of it). A git fetch must never reach these, whatever
 * SYNTRA_GIT_ALLOW_PRIVATE says.
 */
export async function controlPlaneAddresses(publicUrl: string, resolve: Resolve = systemResolve): Promise<string[]> {
  const found = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) found.add(i.address.replace(/%.*$/, ''));
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  try {
    for (const a of await resolve(host)) found.add(a);
  } catch {
    // PUBLIC_URL's name does not resolve from here: nothing to add.
  }
  return [...found].filter((a) => a.length <= 64).slice(0, MAX_ADDRESSES);
}

/**
 * Why this organisation's policy refuses the remote now, or null. Run when a URL is saved and when
 * a deployment is triggered; the agent's builder checks again at fetch time (DNS may change).
 * A name that does not resolve from the control plane is let through: the fetching side decides.
 */
export async function remoteProblem(url: string, policy: GitFetchPolicy, resolve: Resolve = systemResolve): Promise<string | null> {
  const parsed = parseGitUrl(url);
  if (!parsed.ok) return parsed.problem;
  const remote = parsed.remote;
  if (remote.kind === 'local') {
    return policy.allow_local ? null : "file:// URLs and paths on the control-plane host are only for the installation's admin organisation: use an https:// or ssh remote";
  }
  let addresses: string[];
  if (remote.isIp) {
    addresses = [remote.host];
  } else {
    try {
      addresses = await resolve(remote.host);
    } catch {
      return null;
    }
  }
  for (const ip of addresses) {
    const problem = addressProblem(ip, policy);
    if (problem) return remote.isIp ? problem : `${remote.host} resolves to ${problem}`;
  }
  return null;
}
