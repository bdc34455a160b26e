import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, BuildLog, BuildResult } from '@syntra/shared';
import { BuildManager } from '../../src/build/build-manager.js';
import { resolveBuildUser } from '../../src/build/build-user.js';
import { Builder, cachedArtifactName } from '../../src/build/builder.js';
import { createAgentLogger } from '../../src/log.js';
import { EXAMPLES, tmpDir } from '../deploy/support.js';

const TOKEN = 'agent-token-for-build-tests';
let upload: http.Server;
let uploadUrl: string;
const uploads: Array<{ auth: string | undefined; digest: string | undefined; kind: string | undefined; sha256: string }> = [];

beforeAll(async () => {
  upload = http.createServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => {
      uploads.push({ auth: req.headers.authorization, digest: req.headers['x-artifact-digest'] as string, kind: req.headers['x-artifact-kind'] as string, sha256: `sha256:${hash.digest('hex')}` });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, data: { artifact_id: randomUUID() } }));
    });
  });
  await new Promise<void>((r) => upload.listen(0, '127.0.0.1', r));
  uploadUrl = `http://127.0.0.1:${(upload.address() as AddressInfo).port}/api/v1/artifacts/uploads/x`;
});
afterAll(() => new Promise<void>((r) => upload.close(() => r())));

function repo(build?: string) {
  const root = tmpDir('build-repo');
  const work = path.join(root, 'work');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();
  fs.cpSync(path.join(EXAMPLES, 'node-hello'), work, { recursive: true });
  if (build) {
    const pkg = JSON.parse(fs.readFileSync(path.join(work, 'package.json'), 'utf8'));
    pkg.scripts.build = build;
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify(pkg));
  }
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  const first = git('rev-parse', 'HEAD');
  fs.writeFileSync(path.join(work, 'VERSION'), 'v2\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'second');
  return { url: `file://${work}`, first, head: git('rev-parse', 'HEAD') };
}

function frame(url: string, over: Partial<Build> = {}): Build {
  return {
    request_id: randomUUID(),
    deployment_id: randomUUID(),
    service_id: randomUUID(),
    git: { url, ref: 'main', policy: { allow_local: true, allow_private: false, denied_addresses: [] } },
    source_type: 'auto',
    build_context: '.',
    dockerfile_path: 'Dockerfile',
    start_command: null,
    runtime: 'process',
    base_images: { node: 'node:20-slim', static: 'busybox:stable' },
    base_sha: null,
    upload_url: uploadUrl,
    ...over,
  };
}

function manager(dataDir: string) {
  const results: BuildResult[] = [];
  const logs: BuildLog['lines'] = [];
  const builder = new Builder({ dataDir, user: resolveBuildUser(undefined), images: null });
  const m = new BuildManager({ builder, token: TOKEN, log: createAgentLogger('error'), sender: { buildLog: (p) => logs.push(...p.lines), buildResult: (r) => results.push(r) } });
  return { m, results, logs };
}

const until = async (what: string, fn: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('builds on the agent', () => {
  it('builds a Node app into a tarball kept in the artifact cache by digest, uploads it with the agent token, reports the commits since base', async () => {
    const r = repo();
    const dataDir = tmpDir('build-agent');
    const { m, results, logs } = manager(dataDir);
    const f = frame(r.url, { base_sha: r.first });
    m.handle(f);
    await until('the build result', () => results.length === 1);
    const res = results[0]!;
    expect(res, JSON.stringify(logs)).toMatchObject({ ok: true, request_id: f.request_id, deployment_id: f.deployment_id, kind: 'tarball', sha: r.head, commit_message: 'second', start_command: 'node server.js', commits: [{ sha: r.head, message: 'second' }], commits_complete: true });
    const cached = path.join(dataDir, 'artifacts', cachedArtifactName(res.digest!));
    expect(fs.existsSync(cached)).toBe(true);
    expect(uploads.at(-1)).toEqual({ auth: `Bearer ${TOKEN}`, digest: res.digest, kind: 'tarball', sha256: res.digest });
    expect(fs.existsSync(path.join(dataDir, 'git-cache', `${f.service_id}.git`, 'HEAD'))).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'builds'))).toEqual([]);
    expect(logs.map((l) => l.line).join('\n')).toContain('detected a node app');

    // The same build sent again (a retried job, a reconnect) is answered, not rebuilt.
    const before = uploads.length;
    const again = { ...f, request_id: randomUUID() };
    m.handle(again);
    expect(results[1]).toEqual({ ...res, request_id: again.request_id });
    expect(uploads.length).toBe(before);
  }, 90_000);

  it('a re-sent build while it runs is not started twice; build_cancel kills its process group', async () => {
    const r = repo('echo started && sleep 30 && echo not cancelled');
    const { m, results, logs } = manager(tmpDir('build-agent'));
    const f = frame(r.url);
    m.handle(f);
    await until('the build step', () => logs.some((l) => l.line === 'started'));
    m.handle({ ...f, request_id: randomUUID() });
    expect(logs.some((l) => l.line.includes('already running on this server'))).toBe(true);
    expect(m.cancel(f.deployment_id)).toBe(true);
    await until('the build to stop', () => !m.isBuilding(f.deployment_id), 10_000);
    expect(logs.some((l) => l.line === 'not cancelled')).toBe(false);
    expect(results).toEqual([]);
  }, 60_000);

  it('a refused remote, a missing ref, a failing step: ok false with the reason', async () => {
    const r = repo('echo boom && exit 4');
    const { m, results } = manager(tmpDir('build-agent'));
    m.handle(frame(r.url, { git: { url: r.url, ref: 'main', policy: { allow_local: false, allow_private: false, denied_addresses: [] } } }));
    m.handle(frame(r.url, { git: { url: r.url, ref: 'no-such-branch', policy: { allow_local: true, allow_private: false, denied_addresses: [] } } }));
    m.handle(frame(r.url));
    await until('three results', () => results.length === 3);
    const errors = results.map((x) => x.error ?? '');
    expect(results.every((x) => !x.ok)).toBe(true);
    expect(errors.some((e) => /Could not fetch the git repository .*only for the installation.s admin organisation/.test(e)), errors.join('; ')).toBe(true);
    expect(errors).toContain(`The git ref "no-such-branch" does not exist in ${r.url}`);
    expect(errors.some((e) => e.includes('"sh -c npm run build" exited with 4'))).toBe(true);
  }, 90_000);

  it('nothing a build step starts in the background outlives the build', async () => {
    const r = repo('(sleep 317 > /dev/null 2>&1 &) ; echo left a sleeper');
    const { m, results, logs } = manager(tmpDir('build-agent'));
    m.handle(frame(r.url));
    await until('the build result', () => results.length === 1);
    expect(results[0]!.ok, JSON.stringify(logs)).toBe(true);
    expect(logs.some((l) => l.line === 'left a sleeper')).toBe(true);
    const sleepers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.trim() === 'sleep 317');
    expect(sleepers).toEqual([]);
  }, 60_000);

  it('two builds of one service take turns (they share its mirror)', async () => {
    const r = repo('echo step && sleep 1');
    const { m, results, logs } = manager(tmpDir('build-agent'));
    const first = frame(r.url);
    const second = frame(r.url, { service_id: first.service_id });
    m.handle(first);
    m.handle(second);
    await until('both results', () => results.length === 2);
    expect(results.map((x) => [x.deployment_id, x.ok])).toEqual([[first.deployment_id, true], [second.deployment_id, true]]);
    expect(logs.filter((l) => l.line === 'step')).toHaveLength(2);
    // The second started after the first had cloned: it fetched into the mirror instead of cloning it again.
    expect(logs.filter((l) => l.line.startsWith('cloning '))).toHaveLength(1);
    expect(logs.filter((l) => l.line.startsWith('fetching '))).toHaveLength(1);
  }, 60_000);
});
