import { Resolver } from 'node:dns/promises';

/** Resolves TXT records (each record as its character-strings); injectable so tests use a local DNS server. */
export type TxtResolver = (name: string) => Promise<string[][]>;

/** The system's resolvers, or `servers` (`host:port`, e.g. a split-horizon or test resolver). */
export function dnsTxtResolver(servers: readonly string[] = []): TxtResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers.length) resolver.setServers([...servers]);
  return (name) => resolver.resolveTxt(name);
}

/** A user-facing reason a lookup found nothing usable. */
export function lookupError(name: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENODATA' || code === 'ENOTFOUND') return `No TXT record at ${name} yet`;
  return `DNS lookup of ${name} failed (${code ?? 'error'})`;
}
