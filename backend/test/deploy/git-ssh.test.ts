import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/agent-env.js';
import { type AgentRig, deployAndWait, startAgentRig } from './agent-rig.js';
import { gitRemote } from './git-repo.js';
import { waitFor } from './support.js';

let rig: AgentRig;
let sshd: ChildProcess | null = null;
let sshPort = 0;
let clientKey = '';
const skip = !fs.existsSync('/usr/sbin/sshd') || !fs.existsSync('/usr/bin/ssh-keygen') ? 'openssh-server is not installed' : null;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A private sshd on a free loopback port accepting one generated key (git over ssh to this machine). */
async function startSshd() {
  const dir = tempDir('sshd');
  fs.chmodSync(dir, 0o700);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const k of ['host_key', 'client_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)]);
  fs.copyFileSync(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'));
  sshPort = await freePort();
  const conf = [`Port ${sshPort}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`, `AuthorizedKeysFile ${dir}/authorized_keys`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR'];
  fs.writeFileSync(path.join(dir, 'sshd_config'), `${conf.join('\n')}\n`);
  sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
  await waitFor('sshd', () => new Promise<boolean>((resolve) => {
    const s = net.connect(sshPort, '127.0.0.1', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  }), 10_000, 50);
  clientKey = fs.readFileSync(path.join(dir, 'client_key'), 'utf8');
}

beforeAll(async () => {
  if (skip) return void console.warn(`git over ssh test skipped: ${skip}`);
  await startSshd();
  // The agent clones: the deploy key travels to it in the build frame, for that build only.
  // The ssh server listens on loopback: the admin organisation may use it once private remotes are allowed.
  rig = await startAgentRig({ tag: 'ssh', env: { SYNTRA_GIT_ALLOW_PRIVATE: 'true' }, workers: { deployTimeoutMs: 20_000 } });
}, 60_000);
afterAll(async () => {
  if (skip) return;
  await rig.close();
  if (sshd && sshd.exitCode === null) {
    const exited = new Promise((r) => sshd!.once('exit', r));
    sshd.kill('SIGTERM');
    await exited;
  }
});

describe('git over ssh with a deploy key', () => {
  it('clones a private repository with the project’s deploy key, and fails clearly without it', async (t) => {
    if (skip) return t.skip();
    const { api, owner, env, server } = rig;
    const repo = gitRemote(tempDir('ssh-git'));
    const sha = repo.commitAndPush({ VERSION: 'ssh\n' }, 'over ssh');
    const url = `ssh://root@127.0.0.1:${sshPort}${repo.bare}`;

    const keyless = await api.post('/api/v1/projects', { name: 'No key', git_repo_url: url }, { token: owner.token, orgId: owner.orgId });
    const withKey = await api.post('/api/v1/projects', { name: 'Keyed', git_repo_url: url, git_deploy_key: clientKey }, { token: owner.token, orgId: owner.orgId });
    expect(withKey.body.data.has_deploy_key).toBe(true);
    expect(JSON.stringify(withKey.body)).not.toContain('PRIVATE KEY');
    const stored = await env.db('projects').where({ id: withKey.body.data.id }).first();
    expect(stored!.git_deploy_key_encrypted).toMatch(/^v1\./);

    const deploy = async (projectId: string) => {
      const s = await api.post(`/api/v1/projects/${projectId}/services`, { name: 'web', server_id: server.id }, { token: owner.token });
      return deployAndWait(rig, s.body.data.id, 60_000);
    };
    const ok = await deploy(withKey.body.data.id);
    expect(ok.status, ok.error_message).toBe('running');
    expect(ok.git_commit_sha).toBe(sha);
    expect(JSON.stringify(ok.logs)).not.toContain('PRIVATE KEY');
    // The key never rests in clear: not in the command rows that carried the build frame, not in the agent's files.
    const rows = await env.db('agent_commands').where({ type: 'build' });
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('PRIVATE KEY');
    expect(fs.readdirSync(path.join(rig.agent.dataDir, 'builds'))).toEqual([]);
    const denied = await deploy(keyless.body.data.id);
    expect(denied.status).toBe('failed');
    expect(denied.error_message).toContain('Could not fetch the git repository ssh://***@127.0.0.1');
  }, 90_000);
});
