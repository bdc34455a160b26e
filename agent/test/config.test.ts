import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig } from '../src/config.js';

const missingFile = path.join(os.tmpdir(), 'no-such-syntra-agent-config.json');
const base = { SYNTRA_AGENT_CONFIG: missingFile, SYNTRA_URL: 'http://cp.example:8080/', SYNTRA_AGENT_TOKEN: 'syn_agent_0123456789' };

describe('agent configuration', () => {
  it('reads the config file, lets the environment and then flags override it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ url: 'http://from-file:1', token: 'syn_agent_fromfile00', data_dir: dir, log_level: 'debug' }));
    const fromFile = loadAgentConfig([], { SYNTRA_AGENT_CONFIG: file });
    expect(fromFile).toMatchObject({ url: 'http://from-file:1', token: 'syn_agent_fromfile00', dataDir: dir, logLevel: 'debug', edgeHttpPort: null, dockerSocket: null });
    const overridden = loadAgentConfig(['--url', 'http://from-flag:3'], { SYNTRA_AGENT_CONFIG: file, SYNTRA_URL: 'http://from-env:2' });
    expect(overridden.url).toBe('http://from-flag:3');
    fs.rmSync(dir, { recursive: true });
  });

  it('parses the optional edge port, docker socket and terminal user', () => {
    const config = loadAgentConfig([], { ...base, SYNTRA_EDGE_HTTP_PORT: '8088', SYNTRA_DOCKER_SOCKET: '/run/podman/podman.sock', SYNTRA_TERMINAL_USER: 'deploy' });
    expect(config).toMatchObject({ url: 'http://cp.example:8080', edgeHttpPort: 8088, dockerSocket: '/run/podman/podman.sock', terminalUser: 'deploy' });
    expect(loadAgentConfig([], { ...base, SYNTRA_EDGE_HTTP_PORT: 'off' }).edgeHttpPort).toBeNull();
    expect(loadAgentConfig([], base).terminalProfile).toBe('login');
    expect(loadAgentConfig([], { ...base, SYNTRA_TERMINAL_PROFILE: 'none' }).terminalProfile).toBe('none');
  });

  it('stops with a message naming the variable when a value is wrong', () => {
    expect(() => loadAgentConfig([], { ...base, SYNTRA_EDGE_HTTP_PORT: 'eighty' })).toThrow(/SYNTRA_EDGE_HTTP_PORT/);
    expect(() => loadAgentConfig([], { ...base, SYNTRA_AGENT_LOG_LEVEL: 'loud' })).toThrow(AgentConfigError);
    expect(() => loadAgentConfig([], { ...base, SYNTRA_TERMINAL_PROFILE: 'rc' })).toThrow(/SYNTRA_TERMINAL_PROFILE/);
    expect(() => loadAgentConfig([], { SYNTRA_AGENT_CONFIG: missingFile, SYNTRA_URL: 'http://cp' })).toThrow(/no agent token/);
  });

  it('a config file that is not JSON stops with a message naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, '{ "url": "http://x",');
    expect(() => loadAgentConfig([], { SYNTRA_AGENT_CONFIG: file })).toThrow(AgentConfigError);
    expect(() => loadAgentConfig([], { SYNTRA_AGENT_CONFIG: file })).toThrow(/config\.json: not readable JSON/);
    fs.rmSync(dir, { recursive: true });
  });

  it('never takes the token from a flag, where every user of the machine could read it', () => {
    expect(() => loadAgentConfig(['--token', 'syn_agent_0123456789'], { SYNTRA_AGENT_CONFIG: missingFile, SYNTRA_URL: 'http://cp' })).toThrow();
  });
});
