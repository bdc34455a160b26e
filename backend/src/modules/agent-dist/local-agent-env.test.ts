import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localAgentEnv, localTerminalUser, userExists } from './local-agent-env.js';

describe("the local agent's terminal user and environment", () => {
  const none = () => false;
  const syntraExists = (name: string) => name === 'syntra';

  it("uses the operator's user, else syntra when it exists and the agent is root, else warns about root", () => {
    expect(localTerminalUser({ configured: 'ops', uid: 0, exists: syntraExists })).toEqual({ user: 'ops', warning: null });
    expect(localTerminalUser({ configured: undefined, uid: 0, exists: syntraExists })).toEqual({ user: 'syntra', warning: null });
    expect(localTerminalUser({ configured: undefined, uid: 0, exists: none }).warning).toMatch(/run as root/);
    // Not root: it cannot switch users, and is not root either.
    expect(localTerminalUser({ configured: undefined, uid: 1000, exists: syntraExists })).toEqual({ user: undefined, warning: null });
  });

  it('reads /etc/passwd-style files for users', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'passwd-')), 'passwd');
    fs.writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\nsyntra:x:999:999::/home/syntra:/bin/sh\n');
    expect(userExists('syntra', file)).toBe(true);
    expect(userExists('syn', file)).toBe(false);
    expect(userExists('syntra', path.join(file, 'missing'))).toBe(false);
  });

  it("passes SYNTRA_TERMINAL_USER and none of the control plane's secrets or store URLs", () => {
    const env = localAgentEnv({ PATH: '/bin', HOME: '/root', DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x', SYNTRA_SECRET_KEY: 'k', STRIPE_SECRET_KEY: 's', ANTHROPIC_API_KEY: 'a', GITHUB_CLIENT_SECRET: 'g', SYNTRA_AGENT_TOKEN: 't', SYNTRA_DOCKER_SOCKET: '/run/podman.sock' }, 'syntra');
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', SYNTRA_DOCKER_SOCKET: '/run/podman.sock', SYNTRA_TERMINAL_USER: 'syntra' });
    expect(localAgentEnv({ PATH: '/bin' }, undefined)).toEqual({ PATH: '/bin' });
  });
});
