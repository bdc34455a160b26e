import dns from 'node:dns';
import { type GitFetchPolicy, type GitRemote, addressProblem, parseGitUrl } from '@syntra/shared';

export class GitPolicyError extends Error {}

export interface GuardedRemote {
  gitArgs: string[];
  sshOptions: string[];
}

/** Every address a host name resolves to now (injectable, so tests can play a rebinding DNS). */
export type HostResolver = (host: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Only the one transport this remote needs; submodules and redirects to other schemes are refused. */
function protocolArgs(allowed: 'https' | 'ssh' | 'file'): string[] {
  return ['-c', 'protocol.allow=never', '-c', `protocol.${allowed}.allow=always`];
}

async function checkedAddress(remote: Extract<GitRemote, { kind: 'https' | 'ssh' }>, policy: GitFetchPolicy, resolve: HostResolver): Promise<string> {
  let addresses: string[];
  if (remote.isIp) {
    addresses = [remote.host];
  } else {
    try {
      addresses = await resolve(remote.host);
    } catch (err) {
      throw new GitPolicyError(`cannot resolve the git host ${remote.host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (!addresses.length) throw new GitPolicyError(`the git host ${remote.host} has no addresses`);
  // All of them: any one may be the answer next time, and the pin below only covers ours.
  for (const ip of addresses) {
    const problem = addressProblem(ip, policy);
    if (problem) throw new GitPolicyError(`the git host ${remote.host} is refused: ${problem}`);
  }
  return addresses[0]!;
}

/** Resolves the remote's host now (fetch time, against DNS rebinding), refuses it per policy, and pins git/ssh to the checked address. */
export async function guardGitRemote(url: string, policy: GitFetchPolicy, resolve: HostResolver = systemResolver): Promise<GuardedRemote> {
  const parsed = parseGitUrl(url);
  if (!parsed.ok) throw new GitPolicyError(`refused git URL: ${parsed.problem}`);
  const remote = parsed.remote;
  if (remote.kind === 'local') {
    if (!policy.allow_local) throw new GitPolicyError("file:// URLs and paths are only for the installation's admin organisation");
    return { gitArgs: protocolArgs('file'), sshOptions: [] };
  }
  const ip = await checkedAddress(remote, policy, resolve);
  if (remote.kind === 'ssh') {
    // ssh connects to the checked address; host keys stay filed under the name the user gave.
    return { gitArgs: protocolArgs('ssh'), sshOptions: ['-o', `Hostname=${ip}`, '-o', `HostKeyAlias=${remote.host}`, '-o', `Port=${remote.port}`] };
  }
  // curl's resolve cache makes it connect to the checked address while TLS still verifies the name;
  // no redirects, so a 30x cannot send the fetch to an unchecked host.
  const pin = remote.isIp ? [] : ['-c', `http.curloptResolve=${remote.host}:${remote.port}:${ip.includes(':') ? `[${ip}]` : ip}`];
  return { gitArgs: [...pin, '-c', 'http.followRedirects=false', ...protocolArgs('https')], sshOptions: [] };
}
