import { describe, expect, it } from 'vitest';
import { addressProblem } from './address-policy.js';
import { GitUrlSchema, parseGitUrl, redactGitUrl } from './git-url.js';

const remote = (url: string) => {
  const parsed = parseGitUrl(url);
  if (!parsed.ok) throw new Error(`${url}: ${parsed.problem}`);
  return parsed.remote;
};
const problem = (url: string) => {
  const parsed = parseGitUrl(url);
  return parsed.ok ? null : parsed.problem;
};

describe('git URLs', () => {
  it('accepts https, ssh:// and scp-style remotes with their host and port', () => {
    expect(remote('https://github.com/acme/app.git')).toEqual({ kind: 'https', host: 'github.com', port: 443, isIp: false, hasCredentials: false });
    expect(remote('https://x-access-token:ghp_abc@GitHub.com:8443/acme/app')).toEqual({ kind: 'https', host: 'github.com', port: 8443, isIp: false, hasCredentials: true });
    expect(remote('ssh://git@gitlab.example.com:2222/acme/app.git')).toEqual({ kind: 'ssh', host: 'gitlab.example.com', port: 2222, isIp: false, user: 'git' });
    expect(remote('git@github.com:acme/app.git')).toEqual({ kind: 'ssh', host: 'github.com', port: 22, isIp: false, user: 'git' });
    expect(remote('https://[2001:db8::1]/x.git')).toMatchObject({ host: '2001:db8::1', isIp: true });
    expect(remote('https://140.82.112.3/x.git')).toMatchObject({ host: '140.82.112.3', isIp: true });
  });

  it('classifies file:// URLs and absolute paths as local (the backend allows them to the admin org only)', () => {
    expect(remote('file:///srv/git/app.git')).toEqual({ kind: 'local', path: '/srv/git/app.git' });
    expect(remote('/home/me/app')).toEqual({ kind: 'local', path: '/home/me/app' });
    expect(problem('file://host/srv/app.git')).toMatch(/absolute path/);
  });

  it('refuses plain http, git://, remote helpers, other schemes, option-like and relative values', () => {
    expect(problem('http://127.0.0.1:8080/x.git')).toMatch(/plain http/);
    expect(problem('git://github.com/acme/app.git')).toMatch(/git:\/\/ scheme is not allowed/);
    expect(problem('ext::sh -c touch% /tmp/pwned')).toMatch(/spaces/);
    expect(problem('ext::sh%20-c%20id')).toMatch(/remote helpers/);
    expect(problem('fd::17')).toMatch(/remote helpers/);
    expect(problem('git+ssh://github.com/acme/app')).toMatch(/not allowed/);
    expect(problem('--upload-pack=touch /tmp/x')).toMatch(/must not start with "-"/);
    expect(problem('-oProxyCommand=id')).toMatch(/must not start with "-"/);
    expect(problem('git@-oProxyCommand=id:x')).toMatch(/not a valid host name/);
    expect(problem('-x@host:path')).toMatch(/must not start with "-"/);
    expect(problem('git@host:-x')).toMatch(/must not start with "-"/);
    expect(problem('ssh://-oProxyCommand=id/x')).toMatch(/not a valid host name/);
    expect(problem('relative/path')).toMatch(/not a git URL/);
    expect(problem('https://github.com')).toMatch(/repository path/);
    expect(problem('https://github.com\\@evil.com/x')).toMatch(/backslashes/);
    expect(problem('https://a@127.0.0.1@github.com/x.git')).toMatch(/more than one "@"/);
  });

  it('refuses host spellings that parsers disagree on (numeric IPv4 forms, zone ids, trailing dots)', () => {
    for (const url of ['https://2130706433/x.git', 'https://0x7f.1/x.git', 'https://0177.0.0.1/x.git', 'https://127.1/x.git', 'https://[fe80::1%25eth0]/x.git', 'https://github.com./x.git', 'https://exämple.com/x.git']) {
      expect(problem(url), url).not.toBeNull();
    }
  });

  it('gives the schema a message naming what is wrong, and never echoes credentials when redacting', () => {
    const r = GitUrlSchema.safeParse('git://example.com/x');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^not an allowed git URL: the git:\/\/ scheme/);
    expect(redactGitUrl('https://user:s3cret@github.com/a/b.git')).toBe('https://***@github.com/a/b.git');
  });
});

describe('address policy', () => {
  const strict = { allow_private: false, denied_addresses: ['10.0.0.5', '127.0.0.1', '::1'] };
  const open = { ...strict, allow_private: true };

  it('allows public unicast addresses and refuses every non-public range without allow_private', () => {
    expect(addressProblem('140.82.112.3', strict)).toBeNull();
    expect(addressProblem('2606:4700::1111', strict)).toBeNull();
    for (const ip of ['127.0.0.1', '169.254.169.254', '10.1.2.3', '192.168.1.1', '172.16.0.1', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '0.0.0.0', '::', '224.0.0.1', '255.255.255.255']) {
      expect(addressProblem(ip, strict), ip).not.toBeNull();
    }
    expect(addressProblem('169.254.169.254', strict)).toMatch(/link-local/);
    expect(addressProblem('192.168.1.1', strict)).toMatch(/SYNTRA_GIT_ALLOW_PRIVATE/);
  });

  it('with allow_private still refuses the control plane own addresses, all loopback when its loopback is listed, and unspecified', () => {
    expect(addressProblem('192.168.1.1', open)).toBeNull();
    expect(addressProblem('10.0.0.5', open)).toMatch(/control plane/);
    expect(addressProblem('::ffff:10.0.0.5', open)).toMatch(/control plane/);
    expect(addressProblem('127.0.0.2', open)).toMatch(/control plane/);
    expect(addressProblem('0:0:0:0:0:0:0:1', open)).toMatch(/control plane/);
    expect(addressProblem('0.0.0.0', open)).toMatch(/unspecified/);
    expect(addressProblem('127.0.0.1', { allow_private: true, denied_addresses: [] })).toBeNull();
  });
});
