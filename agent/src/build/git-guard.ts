import type { GitFetchPolicy } from '@syntra/shared';

// Stub with the agreed signature (shared-contracts.md §2). The git-policy part of issue 10 owns this
// file: its version (DNS resolution at fetch time, address pinning) replaces this one at merge.

export class GitPolicyError extends Error {}

export interface GuardedRemote {
  gitArgs: string[];
  sshOptions: string[];
}

const isLocal = (url: string) => /^file:/i.test(url) || !(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/@:]+@[^/:]+:/.test(url));

/** Resolves the remote's host now (fetch time, against DNS rebinding), refuses it per policy, and pins git/ssh to the checked address. */
export async function guardGitRemote(url: string, policy: GitFetchPolicy): Promise<GuardedRemote> {
  if (isLocal(url) && !policy.allow_local) throw new GitPolicyError('Local git repositories (file:// URLs and paths) are not allowed for this organisation');
  return { gitArgs: [], sshOptions: [] };
}
