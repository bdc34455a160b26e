import type { LiveDeployment } from '../deployments/index.js';

/**
 * Does `release` name this commit? SDK releases are the sha itself, a prefix of it (short sha), or
 * `name@sha` / `name@1.2.3+sha` (Sentry's convention).
 */
export function releaseMatches(release: string, sha: string): boolean {
  const r = release.toLowerCase();
  const s = sha.toLowerCase();
  if (r === s) return true;
  const tail = r.split(/[@+]/).at(-1)!;
  return tail.length >= 7 && /^[0-9a-f]+$/.test(tail) && s.startsWith(tail);
}

/**
 * The deployment running a service at an event's time, from its timeline (newest first): the one
 * whose commit the event's release names (the newest of those live by then, else the newest of
 * them), else the one that went live last before the event.
 */
export function deploymentAt(timeline: readonly LiveDeployment[], at: Date, release: string | null): string | null {
  if (release) {
    const matching = timeline.filter((d) => d.commitSha && releaseMatches(release, d.commitSha));
    if (matching.length > 0) return (matching.find((d) => d.liveAt.getTime() <= at.getTime()) ?? matching[0]!).id;
  }
  return timeline.find((d) => d.liveAt.getTime() <= at.getTime())?.id ?? null;
}
