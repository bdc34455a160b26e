import { DOMAIN_CHALLENGE_LABEL } from '@syntra/shared';

/** `*.example.com` → `example.com`; a plain hostname is its own base. */
export function baseOf(hostname: string): string {
  return hostname.startsWith('*.') ? hostname.slice(2) : hostname;
}

/** Where the ownership TXT record lives: a wildcard is proved on its base domain. */
export function challengeName(hostname: string): string {
  return `${DOMAIN_CHALLENGE_LABEL}.${baseOf(hostname)}`;
}

/**
 * What a claim on `hostname` overlaps, as SQL-ready terms: the exact name, every wildcard above it
 * (`a.b.example.com` ← `*.b.example.com`, `*.example.com`; never a bare `*.com`), and for a
 * wildcard every name below its base (`LIKE '%.<base>'`). Hostnames hold only [a-z0-9.-*], so the
 * LIKE pattern needs no escaping.
 */
export function overlapTerms(hostname: string): { exact: string[]; under: string | null } {
  const labels = baseOf(hostname).split('.');
  const above = labels.slice(1, -1).map((_, i) => `*.${labels.slice(i + 1).join('.')}`);
  const exact = [...new Set([hostname, ...above])];
  return { exact, under: hostname.startsWith('*.') ? `%.${baseOf(hostname)}` : null };
}
