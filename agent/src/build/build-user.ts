import fs from 'node:fs';

/** The unprivileged account build commands run as when the agent itself runs as root. */
export interface BuildUser {
  name: string;
  uid: number;
  gid: number;
}

function passwd(): Array<{ name: string; uid: number; gid: number }> {
  try {
    return fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 4)
      .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
  } catch {
    return [];
  }
}

/**
 * Who build steps run as: null when the agent is not root (they run as the agent's own, already
 * unprivileged, user); otherwise SYNTRA_BUILD_USER, else `syntra-build` when that account exists,
 * else `nobody`. Never root: a build step is tenant code.
 */
export function resolveBuildUser(configured: string | undefined, isRoot = process.getuid?.() === 0): BuildUser | null {
  if (!isRoot) return null;
  const users = passwd();
  const wanted = configured ?? (users.some((u) => u.name === 'syntra-build') ? 'syntra-build' : 'nobody');
  const found = users.find((u) => u.name === wanted || String(u.uid) === wanted);
  if (!found) throw new Error(`SYNTRA_BUILD_USER: there is no user "${wanted}" on this machine`);
  if (found.uid === 0) throw new Error('SYNTRA_BUILD_USER must not be root: build steps run tenant code');
  return found;
}
