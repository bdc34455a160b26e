import type { BuildDetection } from '@syntra/shared';
import { AgentOfflineError } from '../../../errors.js';
import type { Actor } from '../../orgs/index.js';
import { type RepoReader, RepoUnavailableError } from '../repo-reader.js';

interface DetectedService {
  id: string;
  source_type: string;
  build_context: string | null;
  dockerfile_path: string | null;
  start_command: string | null;
  git_branch: string | null;
  project_git_branch: string | null;
}

/** The builder's message when nothing matches (agent/src/build/detect.ts), so the console's offer reads the same either way. */
const NOTHING_FOUND = 'Could not detect how to build this source: looked for package.json (Node), a Procfile with a "web:" line, and index.html (static site)';

function jsonOf(text: string | undefined): Record<string, unknown> | null {
  try {
    const v: unknown = text === undefined ? null : JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * What an `auto` build would find, decided from the repository's tree and its package.json and
 * Procfile, read from the git mirror on the service's server, by the rules of the agent's detect.ts.
 * The service wizard asks this to offer a generated Dockerfile before a build fails.
 */
export class BuildDetector {
  constructor(
    private readonly repo: RepoReader,
    private readonly services: { context(orgId: string, serviceId: string): Promise<DetectedService> },
    private readonly saved: (serviceId: string) => Promise<unknown>,
  ) {}

  async detect(orgId: string, serviceId: string, actor: Actor): Promise<BuildDetection> {
    const service = await this.services.context(orgId, serviceId);
    if (service.source_type === 'image') return { state: 'detected', kind: 'image', reason: 'Runs a prebuilt image: nothing is built', sha: null };
    if (await this.saved(serviceId)) return { state: 'detected', kind: 'saved_dockerfile', reason: "Builds use the service's saved Dockerfile", sha: null };
    const base = (service.build_context ?? '.').replace(/^\.\/?/, '').replace(/\/$/, '');
    const at = (p: string) => (base ? `${base}/${p}` : p);
    const ref = service.git_branch ?? service.project_git_branch ?? undefined;
    const args = { ...(ref ? { ref } : {}), tree: true, paths: [at('package.json'), at('Procfile')] };
    let listing;
    try {
      listing = await this.repo.read(orgId, service.id, actor, args);
    } catch (err) {
      // Not knowing is an answer here: a first build fetches the mirror and detects then.
      if (err instanceof AgentOfflineError) return { state: 'unknown', kind: null, reason: "The service's server is not connected", sha: null };
      if (err instanceof RepoUnavailableError) return { state: 'unknown', kind: null, reason: err.message, sha: null };
      throw err;
    }
    const tree = new Set(listing.tree);
    const file = (p: string) => listing.files.find((f) => f.path === at(p))?.content;
    const dockerfilePath = service.dockerfile_path ?? 'Dockerfile';
    const sha = listing.sha;
    if (service.source_type === 'dockerfile') {
      return tree.has(at(dockerfilePath))
        ? { state: 'detected', kind: 'dockerfile', reason: `Builds ${dockerfilePath}`, sha }
        : { state: 'undetected', kind: null, reason: `No Dockerfile at ${dockerfilePath} in the build context`, sha };
    }
    const web = file('Procfile')?.split('\n').find((l) => /^web:\s*\S/.test(l)) ?? null;
    if (tree.has(at('package.json'))) {
      const pkg = jsonOf(file('package.json'));
      const scripts = (pkg?.scripts ?? {}) as Record<string, unknown>;
      if (service.start_command || web || typeof scripts.start === 'string' || typeof pkg?.main === 'string') return { state: 'detected', kind: 'node', reason: 'A Node app (package.json)', sha };
      return { state: 'undetected', kind: null, reason: 'Missing start command: looked for the service start_command, a Procfile "web:" line, a "start" script and "main" in package.json', sha };
    }
    if (web || service.start_command) return { state: 'detected', kind: 'procfile', reason: web ? 'A Procfile app ("web:" line)' : "The service's start command", sha };
    if (tree.has(at('index.html'))) return { state: 'detected', kind: 'static', reason: 'A static site (index.html)', sha };
    const hint = tree.has(at(dockerfilePath)) ? ' (there is a Dockerfile: set the service source_type to "dockerfile")' : '';
    return { state: 'undetected', kind: null, reason: `${NOTHING_FOUND}${hint}`, sha };
  }
}
