import ipaddr from 'ipaddr.js';
import type { GitFetchPolicy } from './fetch-policy.js';

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback',
  linkLocal: 'a link-local (cloud metadata)',
  private: 'a private',
  carrierGradeNat: 'a carrier-grade NAT',
  uniqueLocal: 'a unique-local',
  unspecified: 'an unspecified',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
};

/** Never a git server whatever the policy: these reach "this host" or nobody in particular. */
const NEVER = new Set(['unspecified', 'multicast', 'broadcast']);

function normalise(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}

/**
 * Why a fetch may not connect to `ip` under `policy`, or null. Anything but a public unicast
 * address needs `allow_private`; the control plane's own addresses are refused regardless, and
 * when they include a loopback address all of loopback is (127.0.0.2 is the same machine).
 */
export function addressProblem(ip: string, policy: Pick<GitFetchPolicy, 'allow_private' | 'denied_addresses'>): string | null {
  const addr = normalise(ip);
  if (!addr) return `${ip} is not an IP address`;
  const shown = addr.toString();
  const range = addr.range();
  const denied = policy.denied_addresses.map(normalise).filter((a): a is NonNullable<typeof a> => a !== null);
  const own = denied.some((d) => d.kind() === addr.kind() && d.toNormalizedString() === addr.toNormalizedString());
  const ownLoopback = range === 'loopback' && denied.some((d) => d.range() === 'loopback');
  if (own || ownLoopback) return `${shown} is an address of the Syntra control plane itself`;
  if (range === 'unicast') return null;
  const name = RANGE_NAMES[range] ?? `a reserved (${range})`;
  if (NEVER.has(range)) return `${shown} is ${name} address`;
  if (policy.allow_private) return null;
  return `${shown} is ${name} address; private networks are refused unless the operator sets SYNTRA_GIT_ALLOW_PRIVATE=true`;
}
