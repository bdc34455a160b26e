import fs from 'node:fs';
import path from 'node:path';
import type { BuildUser } from './build-user.js';

/**
 * One build's private directory, `<data dir>/builds/<deployment>`, owned by the build user (HOME,
 * npm cache, checkout, deploy key), and the service's mirror in `<data dir>/git-cache`. The data dir
 * itself is only traversable for that user (0711): it can reach these two, and list or read nothing
 * else of the agent's (config, token, state are 0600/0700 and the agent's own).
 */
export class BuildWorkspace {
  private constructor(
    readonly dir: string,
    private readonly dataDir: string,
    private readonly user: BuildUser | null,
  ) {}

  static async create(dataDir: string, deploymentId: string, user: BuildUser | null): Promise<BuildWorkspace> {
    if (user) await fs.promises.chmod(dataDir, 0o711);
    const root = path.join(dataDir, 'builds');
    await fs.promises.mkdir(root, { recursive: true, mode: 0o711 });
    const dir = path.join(root, deploymentId);
    await fs.promises.rm(dir, { recursive: true, force: true });
    await fs.promises.mkdir(dir, { mode: 0o700 });
    const ws = new BuildWorkspace(dir, dataDir, user);
    await ws.own(dir);
    await fs.promises.mkdir(ws.home, { mode: 0o700 });
    await ws.own(ws.home);
    return ws;
  }

  get home() {
    return path.join(this.dir, 'home');
  }

  get src() {
    return path.join(this.dir, 'src');
  }

  /** A 0600 file of the build user's (the deploy key, git's config), removed with the directory. */
  async writePrivate(name: string, content: string): Promise<string> {
    const file = path.join(this.dir, name);
    await fs.promises.writeFile(file, content.endsWith('\n') ? content : `${content}\n`, { mode: 0o600 });
    await this.own(file);
    return file;
  }

  /** The service's bare mirror path; the cache directory is the build user's, a mirror of anyone else's is dropped. */
  async mirror(serviceId: string): Promise<string> {
    const cache = path.join(this.dataDir, 'git-cache');
    await fs.promises.mkdir(cache, { recursive: true, mode: 0o700 });
    await this.own(cache);
    const mirror = path.join(cache, `${serviceId}.git`);
    const st = await fs.promises.stat(mirror).catch(() => null);
    if (st && this.user && st.uid !== this.user.uid) await fs.promises.rm(mirror, { recursive: true, force: true });
    return mirror;
  }

  async remove(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private async own(p: string) {
    if (this.user) await fs.promises.chown(p, this.user.uid, this.user.gid);
  }
}
