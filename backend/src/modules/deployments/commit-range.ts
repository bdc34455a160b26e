import type { BuildCommit } from '@syntra/shared';

export interface BuiltCommits {
  git_commit_sha: string | null;
  build_base_sha: string | null;
  build_commits: BuildCommit[] | null;
  build_commits_complete: boolean | null;
}

/**
 * Commits between two deployments of a service, newest first, from the list the newer one's build
 * reported (commits after the sha that was serving when it was built). Complete when `from` is that
 * base, or is found in the list; otherwise only the two ends are known.
 */
export function commitRange(from: BuiltCommits, to: BuiltCommits): { messages: BuildCommit[]; complete: boolean } {
  if (!from.git_commit_sha || !to.git_commit_sha) return { messages: [], complete: false };
  if (from.git_commit_sha === to.git_commit_sha) return { messages: [], complete: true };
  const list = to.build_commits ?? [];
  if (to.build_base_sha === from.git_commit_sha) return { messages: list, complete: to.build_commits_complete ?? false };
  const at = list.findIndex((c) => c.sha === from.git_commit_sha);
  if (at >= 0) return { messages: list.slice(0, at), complete: true };
  return { messages: [], complete: false };
}
