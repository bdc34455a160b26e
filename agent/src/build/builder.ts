import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactKind, Build, BuildCommit } from '@syntra/shared';
import type { BuildUser } from './build-user.js';
import { detect } from './detect.js';
import { writeGeneratedDockerfile, writeSavedDockerfile } from './generated-dockerfile.js';
import { checkout } from './git-source.js';
import type { ImageBuilder } from './image-builder.js';
import { buildEnv, type LineSink, runCommand } from './run-command.js';
import { BuildWorkspace } from './workspace.js';

export interface BuiltArtifact {
  kind: ArtifactKind;
  /** The file to upload (a gzip tarball, or the image's `docker save` archive). */
  file: string;
  digest: string;
  imageRef: string | null;
  startCommand: string | null;
  sha: string;
  message: string;
  commits: BuildCommit[];
  commitsComplete: boolean;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return `sha256:${hash.digest('hex')}`;
}

/** The agent's artifact cache names files by digest (deploys look there before downloading). */
export const cachedArtifactName = (digest: string) => digest.replace(/[^a-z0-9]/gi, '_');

const quote = (s: string) => (/^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Turns a `build` frame into an artifact on this server: fetch into the service's mirror, check out,
 * detect (Node / Procfile / static, a Dockerfile, or a generated Dockerfile for the docker
 * runtime), build, and keep the result in the artifact cache. Every command runs as the build user
 * in the build's own directory with an explicit environment.
 */
export class Builder {
  constructor(
    private readonly o: {
      dataDir: string;
      user: BuildUser | null;
      images: ImageBuilder | null;
    },
  ) {}

  get artifactCache() {
    return path.join(this.o.dataDir, 'artifacts');
  }

  async build(frame: Build, onLine: LineSink, signal: AbortSignal): Promise<BuiltArtifact> {
    const ws = await BuildWorkspace.create(this.o.dataDir, frame.deployment_id, this.o.user);
    try {
      if (this.o.user) onLine('system', `building as user ${this.o.user.name} (uid ${this.o.user.uid})`);
      const env = buildEnv(ws.home, path.dirname(process.execPath));
      const keyFile = frame.git.ssh_private_key ? await ws.writePrivate('deploy_key', frame.git.ssh_private_key) : null;
      const local = /^file:/i.test(frame.git.url) || !(/^[a-z][a-z0-9+.-]*:\/\//i.test(frame.git.url) || /^[^/@:]+@[^/:]+:/.test(frame.git.url));
      // A local repository belongs to another user (git calls that "dubious ownership"); only the admin org may use one, and the guard has said so.
      if (local) env.GIT_CONFIG_GLOBAL = await ws.writePrivate('gitconfig', '[safe]\n\tdirectory = *\n');
      const sshCommand = (extra: string[]) =>
        ['ssh', ...(keyFile ? ['-i', keyFile, '-o', 'IdentitiesOnly=yes'] : []), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${path.join(ws.dir, 'known_hosts')}`, ...extra].map(quote).join(' ');
      const mirror = await ws.mirror(frame.service_id);
      const co = await checkout({ url: frame.git.url, policy: frame.git.policy, ref: frame.git.ref, baseSha: frame.base_sha, mirror, workdir: ws.src, env, sshCommand, user: this.o.user, signal, onLine });
      const checkedOut = { sha: co.sha, message: co.message, commits: co.commits, commitsComplete: co.commitsComplete };
      const context = path.resolve(ws.src, frame.build_context);
      if (context !== ws.src && !context.startsWith(`${ws.src}${path.sep}`)) throw new Error('build_context points outside the repository');
      const plan = frame.dockerfile_inline
        ? await writeSavedDockerfile(context, frame.dockerfile_inline, onLine)
        : detect(context, frame.source_type, { dockerfilePath: frame.dockerfile_path, startCommand: frame.start_command });
      const image = (dockerfile: string, startCommand: string | null) => this.buildImage({ frame, ws, env, context, dockerfile, startCommand, onLine, signal, checkedOut });
      if (plan.kind === 'dockerfile') {
        onLine('system', 'building the Dockerfile through the Docker Engine API');
        return await image(path.relative(context, plan.dockerfile), frame.start_command);
      }
      if (frame.runtime === 'docker') {
        onLine('system', `detected a ${plan.kind} app; building it for the docker runtime from a generated Dockerfile`);
        const dockerfile = await writeGeneratedDockerfile(context, plan, frame.base_images);
        // The image's CMD is the detected start command; a service start_command still overrides it at deploy.
        return await image(dockerfile, null);
      }
      onLine('system', `detected a ${plan.kind} app; start command: ${plan.start}`);
      for (const step of plan.steps) {
        onLine('system', `$ ${step}`);
        await runCommand('sh', ['-c', step], { cwd: context, env, user: this.o.user, signal, onLine, timeoutMs: 30 * 60_000 });
      }
      const tarball = path.join(ws.dir, 'artifact.tar.gz');
      await runCommand('tar', ['-czf', tarball, '--exclude=./.git', '-C', context, '.'], { cwd: ws.dir, env, user: this.o.user, signal });
      const kept = await this.keep(tarball);
      const size = (await fs.promises.stat(kept.file)).size;
      onLine('system', `artifact ${kept.digest.slice(0, 19)}… (${Math.round(size / 1024)} KiB)`);
      return { kind: 'tarball', ...kept, imageRef: null, startCommand: plan.start, ...checkedOut };
    } finally {
      await ws.remove();
    }
  }

  private async buildImage(o: {
    frame: Build;
    ws: BuildWorkspace;
    env: NodeJS.ProcessEnv;
    context: string;
    dockerfile: string;
    startCommand: string | null;
    onLine: LineSink;
    signal: AbortSignal;
    checkedOut: Pick<BuiltArtifact, 'sha' | 'message' | 'commits' | 'commitsComplete'>;
  }): Promise<BuiltArtifact> {
    if (!this.o.images) throw new Error('Dockerfile builds need a Docker-compatible engine on this server (services on the docker runtime build from a generated one): set SYNTRA_DOCKER_SOCKET for its agent (podman system service works)');
    const tag = `syntra/${o.frame.service_id.slice(0, 8)}:${o.frame.deployment_id.slice(0, 8)}`;
    const img = await this.o.images.build({ contextDir: o.context, dockerfile: o.dockerfile, tag, user: this.o.user, env: o.env, onLine: o.onLine, signal: o.signal });
    const archive = path.join(o.ws.dir, 'image.tar');
    await this.o.images.exportArchive(img.ref, archive);
    const kept = await this.keep(archive);
    const size = (await fs.promises.stat(kept.file)).size;
    o.onLine('system', `image ${img.id.slice(0, 19)}… archived (${Math.round(size / 1024)} KiB)`);
    return { kind: 'image', ...kept, imageRef: img.ref, startCommand: o.startCommand, ...o.checkedOut };
  }

  /**
   * Moves a finished artifact into the agent's cache (the agent's own, not the build user's), named
   * by its digest. Copied first and hashed after, so what is uploaded is exactly what was hashed.
   */
  private async keep(file: string): Promise<{ file: string; digest: string }> {
    await fs.promises.mkdir(this.artifactCache, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.artifactCache, `build-${process.pid}-${Date.now()}.part`);
    await fs.promises.copyFile(file, tmp);
    await fs.promises.chmod(tmp, 0o600);
    const digest = await sha256File(tmp);
    const dest = path.join(this.artifactCache, cachedArtifactName(digest));
    await fs.promises.rename(tmp, dest);
    return { file: dest, digest };
  }
}
