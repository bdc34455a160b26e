import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { ImageBuilder } from './builder.js';
import type { LineSink } from './run-command.js';

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Dockerfile builds through the Docker Engine API (dockerode) on a Docker-compatible socket:
 * Docker's own, or `podman system service`. The build context is streamed as a tar; the image id
 * is the artifact's digest. No env values are passed to builds.
 */
export class DockerImageBuilder implements ImageBuilder {
  private client: Promise<Docker> | null = null;

  constructor(private readonly socketPath: string) {}

  // Loaded on first use: dockerode (with its ssh/grpc transports) costs ~250 ms at start-up.
  private get docker(): Promise<Docker> {
    this.client ??= import('dockerode').then(({ default: D }) => new D({ socketPath: this.socketPath }));
    return this.client;
  }

  async build(contextDir: string, dockerfile: string, tag: string, onLine: LineSink, signal?: AbortSignal) {
    const docker = await this.docker;
    const tar = spawn('tar', ['-c', '--exclude=./.git', '-C', contextDir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.buildImage(tar.stdout, { t: tag, dockerfile, rm: true, forcerm: true, abortSignal: signal } as Docker.ImageBuildOptions);
    let failure: string | null = null;
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (e: BuildEvent) => {
          const text = e.stream ?? e.status;
          if (text) for (const line of text.replace(/\n$/, '').split('\n')) onLine('build', line);
          if (e.error || e.errorDetail) failure = e.errorDetail?.message ?? e.error ?? 'build failed';
        },
      );
    });
    if (failure) throw new Error(`Dockerfile build failed: ${failure}`);
    const info = await docker.getImage(tag).inspect();
    return { ref: tag, digest: info.Id.startsWith('sha256:') ? info.Id : `sha256:${info.Id}` };
  }

  /** `docker save` of the image into `file`: the artifact agents on other machines load. */
  async exportArchive(tag: string, file: string): Promise<void> {
    const docker = await this.docker;
    const stream = (await docker.getImage(tag).get()) as NodeJS.ReadableStream;
    await pipeline(stream, fs.createWriteStream(file));
  }
}
