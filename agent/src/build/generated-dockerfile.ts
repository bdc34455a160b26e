import fs from 'node:fs';
import path from 'node:path';
import type { BuildPlan } from './detect.js';

/** Base images of generated Dockerfiles; configurable because installations may have no registry. */
export interface BaseImages {
  /** Node apps and Procfile apps: needs `sh` and `node` (and npm when the app has dependencies). */
  node: string;
  /** Static sites: needs busybox's `httpd`. */
  static: string;
}

/** The port generated images listen on; the docker runtime publishes it and sets PORT to it. */
export const GENERATED_PORT = 8080;

/** Written into the checkout (a private temporary directory), so it never shadows the app's own files. */
export const GENERATED_DOCKERFILE = 'Dockerfile.syntra-generated';

type DetectedPlan = Extract<BuildPlan, { kind: 'node' | 'procfile' | 'static' }>;

// Exec form with `sh -c`: the start command keeps shell syntax ($PORT, &&) and JSON quoting makes any
// character in it safe inside the Dockerfile.
const shellCmd = (command: string) => `CMD ${JSON.stringify(['sh', '-c', command])}`;

/**
 * The Dockerfile a detected app gets when its service runs on the docker runtime. It does in the
 * image what the process runtime's build does on the builder host: the same install/build steps
 * (`npm ci`, `npm run build`, prune) and the same start command. No env values go in: they are
 * given to the container at deploy time.
 */
export function generateDockerfile(plan: DetectedPlan, images: BaseImages): string {
  if (plan.kind === 'static') {
    return [
      `FROM ${images.static}`,
      'COPY . /www',
      `EXPOSE ${GENERATED_PORT}`,
      `CMD ["httpd", "-f", "-p", "${GENERATED_PORT}", "-h", "/www"]`,
      '',
    ].join('\n');
  }
  return [
    `FROM ${images.node}`,
    'WORKDIR /app',
    'COPY . .',
    'ENV NODE_ENV=production',
    ...(plan.steps.length ? [`RUN ${plan.steps.join(' && ')}`] : []),
    `ENV PORT=${GENERATED_PORT}`,
    `EXPOSE ${GENERATED_PORT}`,
    shellCmd(plan.start),
    '',
  ].join('\n');
}

/** Writes the generated Dockerfile into the build context; returns its path relative to the context. */
export async function writeGeneratedDockerfile(context: string, plan: DetectedPlan, images: BaseImages): Promise<string> {
  await fs.promises.writeFile(path.join(context, GENERATED_DOCKERFILE), generateDockerfile(plan, images));
  return GENERATED_DOCKERFILE;
}

/** The Dockerfile saved for the service (AI-generated, kept by the user), written beside the app's files. */
export const SAVED_DOCKERFILE = 'Dockerfile.syntra-saved';

/**
 * Writes the service's saved Dockerfile into the build context and returns the plan that builds it.
 * Its .dockerignore is used only where the repository has none (the repository's own wins).
 */
export async function writeSavedDockerfile(context: string, saved: { dockerfile: string; dockerignore: string }, onLine: (stream: 'system', line: string) => void): Promise<Extract<BuildPlan, { kind: 'dockerfile' }>> {
  const file = path.join(context, SAVED_DOCKERFILE);
  await fs.promises.writeFile(file, saved.dockerfile);
  const ignore = path.join(context, '.dockerignore');
  if (saved.dockerignore && !fs.existsSync(ignore)) await fs.promises.writeFile(ignore, saved.dockerignore);
  onLine('system', "building the service's saved Dockerfile");
  return { kind: 'dockerfile', dockerfile: file };
}
