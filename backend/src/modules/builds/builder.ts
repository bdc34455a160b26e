import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import { type DeploymentRow, mirrorPath } from '../deployments/index.js';
import type { ServiceContext } from '../services/index.js';
import { detect } from './detect.js';
import { type BaseImages, writeGeneratedDockerfile } from './generated-dockerfile.js';
import { checkout } from './git-source.js';
import { packTarball } from './pack.js';
import { buildEnv, type LineSink, runCommand } from './run-command.js';

export interface BuildOutput {
  artifactId: string;
  digest: string;
  sha: string | null;
  message: string | null;
}

/** Something that can build a Dockerfile into an image (dockerode against a Docker-compatible socket). */
export interface ImageBuilder {
  build(contextDir: string, dockerfile: string, tag: string, onLine: LineSink, signal?: AbortSignal): Promise<{ ref: string; digest: string }>;
  /** Writes the built image as an archive (`docker save`) so agents without that image can load it. */
  exportArchive(tag: string, file: string): Promise<void>;
}

/**
 * Turns a deployment's source into an artifact: an image reference (image services), a built image
 * (Dockerfile), or a detected Node / Procfile / static build — a tarball for the process runtime,
 * or the image of a generated Dockerfile for the docker runtime.
 */
export class Builder {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly gitCacheDir: string,
    private readonly images: ImageBuilder | null,
    /** Opens a project's sealed SSH deploy key. */
    private readonly openSecret: (sealed: string) => string,
    private readonly baseImages: BaseImages,
  ) {}

  async build(d: DeploymentRow, svc: ServiceContext, onLine: LineSink, signal?: AbortSignal): Promise<BuildOutput> {
    const owner = { orgId: svc.org_id, serviceId: svc.id };
    if (svc.source_type === 'image') {
      const ref = `${svc.image_name}:${d.image_tag ?? svc.image_tag ?? 'latest'}`;
      onLine('system', `deploying image ${ref} (no build)`);
      const a = await this.artifacts.putImage(owner, ref, `ref:${ref}`, svc.start_command);
      return { artifactId: a.id, digest: a.digest, sha: null, message: null };
    }
    const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), `syntra-build-${d.id.slice(0, 8)}-`));
    try {
      const env = buildEnv(path.join(work, 'home'));
      await fs.promises.mkdir(env.HOME!, { recursive: true });
      if (svc.project_git_deploy_key) {
        // Only git sees the key: a 0600 file in this build's private directory, removed with it.
        const keyFile = path.join(work, 'deploy_key');
        await fs.promises.writeFile(keyFile, this.openSecret(svc.project_git_deploy_key), { mode: 0o600 });
        env.GIT_SSH_COMMAND = `ssh -i ${keyFile} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${path.join(work, 'known_hosts')}`;
      } else {
        // Never wait for a password or host-key prompt nobody can answer.
        env.GIT_SSH_COMMAND = `ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${path.join(work, 'known_hosts')}`;
      }
      const src = path.join(work, 'src');
      const ref = d.git_ref ?? d.git_commit_sha ?? d.git_branch ?? 'main';
      const co = await checkout({ url: svc.project_git_repo_url!, ref, mirror: mirrorPath(this.gitCacheDir, svc.id), workdir: src, env, signal, onLine });
      const context = path.join(src, svc.build_context ?? '.');
      if (!context.startsWith(src)) throw new Error('build_context points outside the repository');
      const plan = detect(context, svc.source_type === 'dockerfile' ? 'dockerfile' : 'auto', { dockerfilePath: svc.dockerfile_path ?? 'Dockerfile', startCommand: svc.start_command });
      const checkedOut = { sha: co.sha, message: co.message };
      if (plan.kind === 'dockerfile') {
        onLine('system', 'building the Dockerfile through the Docker Engine API');
        return await this.buildImage({ d, svc, work, context, dockerfile: path.relative(context, plan.dockerfile), startCommand: svc.start_command, onLine, signal, checkedOut });
      }
      if (svc.runtime === 'docker') {
        onLine('system', `detected a ${plan.kind} app; building it for the docker runtime from a generated Dockerfile`);
        const dockerfile = await writeGeneratedDockerfile(context, plan, this.baseImages);
        // The image's CMD is the detected start command; a service start_command still overrides it at deploy.
        return await this.buildImage({ d, svc, work, context, dockerfile, startCommand: null, onLine, signal, checkedOut });
      }
      onLine('system', `detected a ${plan.kind} app; start command: ${plan.start}`);
      for (const step of plan.steps) {
        onLine('system', `$ ${step}`);
        await runCommand('sh', ['-c', step], { cwd: context, env, signal, onLine, timeoutMs: 30 * 60_000 });
      }
      const tarball = path.join(work, 'artifact.tar.gz');
      await packTarball(context, tarball, env, signal);
      const a = await this.artifacts.putTarball(owner, tarball, plan.start);
      onLine('system', `artifact ${a.digest.slice(0, 19)}… (${Math.round(Number(a.size_bytes) / 1024)} KiB)`);
      return { artifactId: a.id, digest: a.digest, sha: co.sha, message: co.message };
    } finally {
      await fs.promises.rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Builds a Dockerfile through the engine and stores the image as a `docker save` archive artifact. */
  private async buildImage(o: {
    d: DeploymentRow;
    svc: ServiceContext;
    work: string;
    context: string;
    dockerfile: string;
    startCommand: string | null;
    onLine: LineSink;
    signal: AbortSignal | undefined;
    checkedOut: { sha: string; message: string };
  }): Promise<BuildOutput> {
    if (!this.images) throw new Error('Dockerfile builds need a Docker-compatible engine (services on the docker runtime build from a generated one): set SYNTRA_DOCKER_SOCKET (podman system service works)');
    const tag = `syntra/${o.svc.id.slice(0, 8)}:${o.d.id.slice(0, 8)}`;
    const img = await this.images.build(o.context, o.dockerfile, tag, o.onLine, o.signal);
    const archive = path.join(o.work, 'image.tar');
    await this.images.exportArchive(img.ref, archive);
    const a = await this.artifacts.putImageArchive({ orgId: o.svc.org_id, serviceId: o.svc.id }, archive, img.ref, o.startCommand);
    o.onLine('system', `image ${img.digest.slice(0, 19)}… archived (${Math.round(Number(a.size_bytes) / 1024)} KiB)`);
    return { artifactId: a.id, digest: img.digest, ...o.checkedOut };
  }
}
