import fs from 'node:fs';
import path from 'node:path';
import type { BuiltSourceType } from '@syntra/shared';

export type BuildPlan =
  | { kind: 'node' | 'procfile' | 'static'; steps: string[]; start: string }
  | { kind: 'dockerfile'; dockerfile: string };

export class DetectError extends Error {}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function procfileWeb(dir: string): string | null {
  const file = path.join(dir, 'Procfile');
  if (!fs.existsSync(file)) return null;
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => /^web:\s*\S/.test(l));
  return line ? line.replace(/^web:\s*/, '').trim() : null;
}

/**
 * `npm start`, or its script itself when that is a plain `node <file>` with no pre/post hooks:
 * same behaviour without npm's own ~1 s boot and an extra process between the agent and the app.
 */
function npmStart(scripts: Record<string, string>): string {
  const plain = /^node\s+[\w./@-]+$/.test(scripts.start!.trim()) && !scripts.prestart && !scripts.poststart;
  return plain ? scripts.start!.trim() : 'npm start';
}

/** The static-site start command: served by the agent's built-in file server. */
export const STATIC_START = 'syntra-static .';

/**
 * Decides how to build a checkout: a Dockerfile (source type `dockerfile`), or for `auto` a Node app
 * (package.json), a Procfile app, or a static site (index.html). Says what it looked for when
 * nothing matches.
 */
export function detect(dir: string, sourceType: BuiltSourceType, opts: { dockerfilePath: string; startCommand: string | null }): BuildPlan {
  if (sourceType === 'dockerfile') {
    const dockerfile = path.join(dir, opts.dockerfilePath);
    if (!fs.existsSync(dockerfile)) throw new DetectError(`No Dockerfile at ${opts.dockerfilePath} in the build context`);
    return { kind: 'dockerfile', dockerfile };
  }
  const pkg = readJson(path.join(dir, 'package.json'));
  const web = procfileWeb(dir);
  if (pkg) {
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    const deps = Object.keys((pkg.dependencies ?? {}) as object).length + Object.keys((pkg.devDependencies ?? {}) as object).length;
    const steps: string[] = [];
    if (deps > 0) steps.push(fs.existsSync(path.join(dir, 'package-lock.json')) ? 'npm ci --include=dev' : 'npm install --include=dev');
    if (scripts.build) steps.push('npm run build');
    if (deps > 0 && scripts.build) steps.push('npm prune --omit=dev');
    const start = opts.startCommand ?? web ?? (scripts.start ? npmStart(scripts) : typeof pkg.main === 'string' ? `node ${pkg.main}` : null);
    if (!start) throw new DetectError('Missing start command: looked for the service start_command, a Procfile "web:" line, a "start" script and "main" in package.json');
    return { kind: 'node', steps, start };
  }
  if (web || opts.startCommand) return { kind: 'procfile', steps: [], start: opts.startCommand ?? web! };
  if (fs.existsSync(path.join(dir, 'index.html'))) return { kind: 'static', steps: [], start: STATIC_START };
  const hint = fs.existsSync(path.join(dir, opts.dockerfilePath)) ? ' (there is a Dockerfile: set the service source_type to "dockerfile")' : '';
  throw new DetectError(`Could not detect how to build this source: looked for package.json (Node), a Procfile with a "web:" line, and index.html (static site)${hint}`);
}
