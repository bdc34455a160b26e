import { z } from 'zod';
import { parseGitHost } from './git-host.js';

/** A git remote Syntra may fetch, as far as its text says; the host is checked against addresses later. */
export type GitRemote =
  | { kind: 'local'; path: string }
  | { kind: 'https'; host: string; port: number; isIp: boolean; hasCredentials: boolean }
  | { kind: 'ssh'; host: string; port: number; isIp: boolean; user: string | null };

export type ParsedGitUrl = { ok: true; remote: GitRemote } | { ok: false; problem: string };

const ACCEPTED = 'use an https:// URL, an ssh:// URL or git@host:owner/repo.git';
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;

function hostAndPort(authority: string, defaultPort: number): { host: string; port: number; isIp: boolean } | { problem: string } {
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(authority);
  if (!m) return { problem: `"${authority}" is not a host[:port]` };
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) return { problem: `port ${m[2]} is out of range` };
  const host = parseGitHost(m[1]!);
  return 'problem' in host ? host : { ...host, port };
}

const fail = (problem: string): ParsedGitUrl => ({ ok: false, problem });

/**
 * Parses a repository URL into what Syntra allows: https, ssh (`ssh://` or scp-style) and, for the
 * installation's admin organisation only (decided by the caller), `file://` URLs and absolute paths.
 * Plain http, git://, remote helpers (`ext::…`), other schemes and anything git could read as an
 * option are refused.
 */
export function parseGitUrl(raw: string): ParsedGitUrl {
  const url = raw.trim();
  if (!url) return fail('the URL is empty');
  if (url.startsWith('-')) return fail('the URL must not start with "-"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s\\]/.test(url)) return fail('the URL must not contain spaces, backslashes or control characters');

  if (url.startsWith('/')) return { ok: true, remote: { kind: 'local', path: url } };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    const path = url.slice('file://'.length);
    if (!path.startsWith('/')) return fail('file URLs take an absolute path: file:///path/to/repo');
    return { ok: true, remote: { kind: 'local', path } };
  }
  if (scheme === 'https') {
    const rest = url.slice('https://'.length);
    const slash = rest.search(/[/?#]/);
    const authority = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '' : rest.slice(slash);
    if (!path.startsWith('/') || path.length < 2) return fail('the URL needs a repository path after the host');
    const at = authority.lastIndexOf('@');
    // Parsers split "a@b@host" differently; a real credential has its "@" percent-encoded.
    if (authority.indexOf('@') !== at) return fail('the URL has more than one "@" before the host (percent-encode it in the credentials)');
    const hp = hostAndPort(at < 0 ? authority : authority.slice(at + 1), 443);
    if ('problem' in hp) return fail(hp.problem);
    return { ok: true, remote: { kind: 'https', ...hp, hasCredentials: at >= 0 } };
  }
  if (scheme === 'ssh') {
    const m = /^ssh:\/\/(?:([^@/]*)@)?([^/]*)(\/.+)$/i.exec(url);
    if (!m) return fail('ssh URLs look like ssh://git@host[:port]/owner/repo.git');
    if (m[1] !== undefined && !USER.test(m[1])) return fail(`"${m[1]}" is not a valid ssh user name`);
    const hp = hostAndPort(m[2]!, 22);
    if ('problem' in hp) return fail(hp.problem);
    return { ok: true, remote: { kind: 'ssh', ...hp, user: m[1] ?? null } };
  }
  if (scheme === 'http') return fail(`plain http:// is refused (credentials and code would travel unencrypted): ${ACCEPTED}`);
  if (scheme) return fail(`the ${scheme}:// scheme is not allowed: ${ACCEPTED}`);
  if (/^[^/]*::/.test(url)) return fail(`git remote helpers ("transport::address") are not allowed: ${ACCEPTED}`);

  // scp-style, as git reads it: [user@]host:path with no slash before the first colon.
  const scp = /^(?:([^@/:[\]]*)@)?(\[[^\]]*\]|[^:/[\]]+):(.+)$/.exec(url);
  if (!scp) return fail(`this is not a git URL: ${ACCEPTED}`);
  if (scp[1] !== undefined && !USER.test(scp[1])) return fail(`"${scp[1]}" is not a valid ssh user name`);
  if (scp[3]!.startsWith('-')) return fail('the repository path must not start with "-"');
  const host = parseGitHost(scp[2]!);
  if ('problem' in host) return fail(host.problem);
  return { ok: true, remote: { kind: 'ssh', ...host, port: 22, user: scp[1] ?? null } };
}

/** The URL with any password or token in it replaced, for logs and messages. */
export function redactGitUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^/?#]*@/i, '$1***@');
}

/** A repository URL of an acceptable shape (whether this organisation may use it is the backend's call). */
export const GitUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((v, ctx) => {
    const parsed = parseGitUrl(v);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not an allowed git URL: ${parsed.problem}` });
  });
