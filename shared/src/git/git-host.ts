import ipaddr from 'ipaddr.js';

/** A remote's host as git will connect to it: a DNS name, or an IP literal (IPv6 without brackets). */
export interface GitHost {
  host: string;
  isIp: boolean;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * The host of a URL's authority, or why it is refused. Only forms every parser agrees on pass:
 * a canonical dotted quad, a bracketed IPv6 literal without zone, or an ASCII DNS name. Numeric
 * spellings such as `2130706433`, `0x7f.1` or `0177.0.0.1` (which curl and browsers read as
 * 127.0.0.1) and trailing dots are refused, so the name checked is the name git connects to.
 */
export function parseGitHost(raw: string): GitHost | { problem: string } {
  if (raw.startsWith('[') && raw.endsWith(']')) {
    const inner = raw.slice(1, -1);
    if (inner.includes('%')) return { problem: 'IPv6 zone ids are not allowed' };
    if (!ipaddr.IPv6.isValid(inner)) return { problem: `"${raw}" is not a valid IPv6 address` };
    return { host: ipaddr.IPv6.parse(inner).toString(), isIp: true };
  }
  const host = raw.toLowerCase();
  if (!host) return { problem: 'the host is missing' };
  if (host.length > 253) return { problem: 'the host name is too long' };
  const labels = host.split('.');
  if (!labels.every((l) => LABEL.test(l))) return { problem: `"${raw}" is not a valid host name (use the ASCII/punycode form, no trailing dot)` };
  const last = labels[labels.length - 1]!;
  if (/^(\d+|0x[0-9a-f]*)$/.test(last)) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(host)) return { problem: `"${raw}" is not a canonical IPv4 address` };
    return { host, isIp: true };
  }
  return { host, isIp: false };
}
