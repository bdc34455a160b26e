import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostShellSpec } from '../../src/terminal/index.js';

describe('host shell spec', () => {
  const self = os.userInfo().username;

  it('is a login shell by default, as over ssh', () => {
    const spec = hostShellSpec({ user: self, shell: '/bin/bash' });
    expect(spec).toMatchObject({ file: '/bin/bash', args: ['-l'] });
    expect(spec.env).toMatchObject({ USER: self, SHELL: '/bin/bash', TERM: 'xterm-256color' });
  });

  it('reads no profile or rc file with profile "none", and stays interactive', () => {
    expect(hostShellSpec({ user: self, shell: '/bin/bash', profile: 'none' }).args).toEqual(['--noprofile', '--norc', '-i']);
    expect(hostShellSpec({ user: self, shell: '/usr/bin/zsh', profile: 'none' }).args).toEqual(['--no-rcs', '-i']);
    expect(hostShellSpec({ user: self, shell: '/bin/sh', profile: 'none' }).args).toEqual(['-i']);
  });

  it('never hands the agent environment to the shell', () => {
    process.env.SYNTRA_AGENT_TOKEN_PROBE = 'secret';
    try {
      expect(hostShellSpec({ user: self, profile: 'none' }).env).not.toHaveProperty('SYNTRA_AGENT_TOKEN_PROBE');
    } finally {
      delete process.env.SYNTRA_AGENT_TOKEN_PROBE;
    }
  });
});
