/**
 * Some URLs carry secrets: invite links (`/api/v1/invites/:token`, the console's `/invite/:token`),
 * OAuth's `code` and `state`, and anything an operator pastes that starts with one of Syntra's
 * token prefixes. Log lines get these URLs with the secrets blanked; nothing else changes.
 */
const REDACTED = '[redacted]';
/** A path segment following one of these carries a secret. */
const SECRET_AFTER = new Set(['invites', 'invite']);
/** Syntra's bearer-like secrets all start with `syn_` (sessions, API, agent, invite, device, OAuth hand-off tokens). */
const TOKEN_LIKE = /^syn_[a-z]+_/i;
const SECRET_QUERY_KEYS = new Set(['code', 'state', 'token', 'invite', 'ticket', 'access_token', 'id_token', 'code_verifier', 'invite_token', 'device_token']);

export function redactPath(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (segment === '') return segment;
      if (TOKEN_LIKE.test(safeDecode(segment))) return REDACTED;
      const previous = segments[i - 1];
      // `/invites/:token` and `/invite/:token`; an org's `/invites/:inviteId` is a uuid, not a secret.
      if (previous && SECRET_AFTER.has(previous) && !isUuid(segment)) return REDACTED;
      return segment;
    })
    .join('/');
}

/** `a=1&code=xyz` → `a=1&code=[redacted]`. */
export function redactQuery(query: string): string {
  if (!query) return query;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_KEYS.has(key.toLowerCase()) || params.getAll(key).some((v) => TOKEN_LIKE.test(v))) params.set(key, REDACTED);
  }
  return params.toString().replace(/%5Bredacted%5D/g, REDACTED);
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
