/**
 * Where a Sentry SDK puts its public key: the `sentry_key` query parameter (the JS SDKs),
 * `X-Sentry-Auth: Sentry sentry_key=…, sentry_version=7` (most others; `Authorization: Sentry …`
 * from some), or the envelope header's `dsn` (its user part). The first one present wins.
 */
export function keyFromRequest(query: URLSearchParams, headers: Record<string, string | string[] | undefined>): string | null {
  const fromQuery = query.get('sentry_key');
  if (fromQuery) return fromQuery.trim();
  for (const name of ['x-sentry-auth', 'authorization']) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value || !/^\s*sentry\s/i.test(value)) continue;
    const m = /sentry_key\s*=\s*([^,\s]+)/i.exec(value);
    if (m) return m[1]!.trim();
  }
  return null;
}

/** The public key of a DSN (`https://<key>@host/<ref>`), or null. */
export function keyFromDsn(dsn: unknown): string | null {
  if (typeof dsn !== 'string') return null;
  try {
    return new URL(dsn).username || null;
  } catch {
    return null;
  }
}
