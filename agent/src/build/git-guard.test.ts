import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitFetchPolicy } from '@syntra/shared';
import { GitPolicyError, guardGitRemote, type HostResolver } from './git-guard.js';

const strict: GitFetchPolicy = { allow_local: false, allow_private: false, denied_addresses: ['127.0.0.1', '::1', '10.9.9.9'] };
const fixed = (...ips: string[]): HostResolver => async () => ips;
const refused = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(GitPolicyError);

describe('guardGitRemote', () => {
  it('pins https to the checked address, refuses redirects and every protocol but https', async () => {
    const g = await guardGitRemote('https://token:x@git.example.com/acme/app.git', strict, fixed('140.82.112.3'));
    expect(g.gitArgs).toEqual(['-c', 'http.curloptResolve=git.example.com:443:140.82.112.3', '-c', 'http.followRedirects=false', '-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always']);
    expect(g.sshOptions).toEqual([]);
    const v6 = await guardGitRemote('https://git.example.com:8443/a.git', strict, fixed('2606:4700::1111'));
    expect(v6.gitArgs[1]).toBe('http.curloptResolve=git.example.com:8443:[2606:4700::1111]');
  });

  it('pins ssh with Hostname and keeps host keys under the given name', async () => {
    const g = await guardGitRemote('git@github.com:acme/app.git', strict, fixed('140.82.112.4'));
    expect(g.sshOptions).toEqual(['-o', 'Hostname=140.82.112.4', '-o', 'HostKeyAlias=github.com', '-o', 'Port=22']);
    expect(g.gitArgs).toEqual(['-c', 'protocol.allow=never', '-c', 'protocol.ssh.allow=always']);
    const port = await guardGitRemote('ssh://git@gitlab.example.com:2222/a/b.git', strict, fixed('140.82.112.5'));
    expect(port.sshOptions).toContain('Port=2222');
  });

  it('refuses loopback, metadata, private, the control plane and unresolvable hosts', async () => {
    await refused(guardGitRemote('https://localhost/x.git', strict, fixed('127.0.0.1')));
    await refused(guardGitRemote('https://169.254.169.254/x.git', strict));
    await refused(guardGitRemote('https://[::ffff:169.254.169.254]/x.git', strict));
    await refused(guardGitRemote('git@internal:x.git', strict, fixed('10.1.2.3')));
    await refused(guardGitRemote('https://intranet.example.com/x.git', { ...strict, allow_private: true }, fixed('10.9.9.9')));
    await refused(guardGitRemote('https://mixed.example.com/x.git', strict, fixed('140.82.112.3', '127.0.0.1')));
    await refused(guardGitRemote('https://nowhere.invalid/x.git', strict, async () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }))));
    await expect(guardGitRemote('https://localhost/x.git', strict, fixed('127.0.0.1'))).rejects.toThrow(/control plane|loopback/);
  });

  it('refuses a rebinding host at fetch time even though it looked public when the URL was saved', async () => {
    let calls = 0;
    const rebinding: HostResolver = async () => (++calls === 1 ? ['140.82.112.3'] : ['127.0.0.1']);
    await expect(guardGitRemote('https://rebind.example.com/x.git', strict, rebinding)).resolves.toBeDefined(); // when it was saved
    await expect(guardGitRemote('https://rebind.example.com/x.git', strict, rebinding)).rejects.toThrow(/127\.0\.0\.1/); // when it is fetched
  });

  it('allows file URLs and paths only with allow_local, and refuses what is no git URL', async () => {
    await refused(guardGitRemote('file:///srv/repo.git', strict));
    await refused(guardGitRemote('/srv/repo.git', strict));
    expect((await guardGitRemote('/srv/repo.git', { ...strict, allow_local: true })).gitArgs).toEqual(['-c', 'protocol.allow=never', '-c', 'protocol.file.allow=always']);
    for (const url of ['http://example.com/x.git', 'git://example.com/x.git', 'ext::sh -c id', '--upload-pack=id']) await refused(guardGitRemote(url, { ...strict, allow_local: true }));
  });
});

/**
 * The real git against a local HTTPS server for a name no DNS knows: ls-remote only works if the
 * returned arguments pin that name to the address the guard checked. A redirect is not followed.
 */
describe('the guard arguments with the real git', () => {
  const HOST = 'git.syntra-pin.test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-guard-'));
  let server: https.Server;
  let port = 0;
  let sha = '';

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const work = path.join(dir, 'work');
    const git = (args: string[], cwd = dir) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git(['init', '-q', '-b', 'main', work]);
    fs.writeFileSync(path.join(work, 'README'), 'hi\n');
    git(['add', '.'], work);
    git(['commit', '-qm', 'one'], work);
    sha = git(['rev-parse', 'HEAD'], work).trim();
    git(['clone', '-q', '--bare', work, path.join(dir, 'repo.git')]);
    git(['update-server-info'], path.join(dir, 'repo.git'));
    // git's "dumb" HTTP protocol: plain files of the bare repository.
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://x');
      if (url.pathname.startsWith('/moved.git/')) {
        res.writeHead(302, { location: `/repo.git/${url.pathname.slice('/moved.git/'.length)}${url.search}` }).end();
        return;
      }
      const file = path.join(dir, path.normalize(url.pathname));
      if (!file.startsWith(path.join(dir, 'repo.git')) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404).end();
      res.writeHead(200).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the server answering it lives in this process.
  const lsRemote = (gitArgs: string[], url: string) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile('git', [...gitArgs, 'ls-remote', url, 'refs/heads/main'], { encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSL_CAINFO: path.join(dir, 'cert.pem') }, timeout: 20_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('reaches the pinned address by name (TLS verified), and does not follow a redirect', async () => {
    const policy: GitFetchPolicy = { allow_local: false, allow_private: true, denied_addresses: [] };
    const url = `https://${HOST}:${port}/repo.git`;
    expect((await lsRemote([], url)).stderr).toMatch(/Could not resolve host/); // the name resolves nowhere without the pin
    const guarded = await guardGitRemote(url, policy, fixed('127.0.0.1'));
    const ok = await lsRemote(guarded.gitArgs, url);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe(`${sha}\trefs/heads/main`);

    const moved = `https://${HOST}:${port}/moved.git`;
    const pinOnly = ['-c', guarded.gitArgs[1]!];
    expect((await lsRemote(pinOnly, moved)).stdout).toContain(sha); // git follows this redirect by default
    const redirected = await lsRemote((await guardGitRemote(moved, policy, fixed('127.0.0.1'))).gitArgs, moved);
    expect(redirected.status).not.toBe(0);
    expect(redirected.stdout).toBe('');
  });
});
