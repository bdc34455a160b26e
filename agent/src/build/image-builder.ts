import { spawn } from 'node:child_process';
import { EngineApi } from '../runtime/engine-api.js';
import type { BuildUser } from './build-user.js';
import type { LineSink } from './run-command.js';

/** Builds a Dockerfile into an image on this server's engine and exports it as an archive. */
export interface ImageBuilder {
  build(o: { contextDir: string; dockerfile: string; tag: string; user: BuildUser | null; env: NodeJS.ProcessEnv; onLine: LineSink; signal?: AbortSignal | undefined }): Promise<{ ref: string; id: string }>;
  exportArchive(ref: string, file: string): Promise<void>;
}

/**
 * Dockerfile builds through the Docker Engine API (Docker, or `podman system service`) on the
 * agent's SYNTRA_DOCKER_SOCKET. The context is tar'd by the build user (it reads only what that user
 * may read) and streamed to the engine; the steps run inside the engine's build containers. No env
 * values are passed to builds.
 */
export class EngineImageBuilder implements ImageBuilder {
  private readonly api: EngineApi;

  constructor(socketPath: string) {
    this.api = new EngineApi(socketPath);
  }

  async build(o: Parameters<ImageBuilder['build']>[0]) {
    const ids = o.user ? { uid: o.user.uid, gid: o.user.gid } : {};
    const tar = spawn('tar', ['-c', '--exclude=./.git', '-C', o.contextDir, '.'], { env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...ids });
    tar.stderr.on('data', (d: Buffer) => o.onLine('build', d.toString().trim()));
    const kill = () => {
      try {
        if (tar.pid) process.kill(-tar.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    o.signal?.addEventListener('abort', kill, { once: true });
    let failure: string | null = null;
    try {
      await this.api.buildImage(tar.stdout, { tag: o.tag, dockerfile: o.dockerfile }, (e) => {
        const text = e.stream ?? e.status;
        if (text) for (const line of text.replace(/\n$/, '').split('\n')) o.onLine('build', line);
        if (e.error || e.errorDetail) failure = e.errorDetail?.message ?? e.error ?? 'build failed';
      }, o.signal);
    } catch (err) {
      if (o.signal?.aborted) throw new Error('cancelled', { cause: err });
      throw err;
    } finally {
      o.signal?.removeEventListener('abort', kill);
    }
    if (failure) throw new Error(`Dockerfile build failed: ${failure}`);
    const info = await this.api.json<{ Id: string }>('GET', `/images/${encodeURIComponent(o.tag)}/json`);
    return { ref: o.tag, id: info.Id.startsWith('sha256:') ? info.Id : `sha256:${info.Id}` };
  }

  exportArchive(ref: string, file: string): Promise<void> {
    return this.api.saveImage(ref, file);
  }
}
