import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalManager, serviceShellProvider } from '../../src/terminal/index.js';
import { FakeConsole } from './fake-transport.js';

const managers: TerminalManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.closeAll();
});

describe('service terminals (process runtime)', () => {
  it('open a shell in the release directory with the service environment and its PORT', async () => {
    const release = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    fs.writeFileSync(path.join(release, 'server.js'), '// app');
    const con = new FakeConsole();
    const manager = new TerminalManager(con, {
      services: serviceShellProvider((id) => (id === 'svc-1' ? { workdir: release, image: null, port: 4321, env: { GREETING: 'hello-from-env' } } : null)),
    });
    con.manager = manager;
    managers.push(manager);
    const id = randomUUID();
    await manager.open({ id: randomUUID(), payload: { session_id: id, cols: 100, rows: 30, target: { kind: 'service', service_id: 'svc-1' }, shell: '/bin/sh' } });
    manager.input(id, Buffer.from('echo "$GREETING:$PORT:$(pwd):$(ls)"\r'));
    await con.until(() => con.text.includes(`hello-from-env:4321:${release}:server.js`));
  });

  it('explains in the terminal why a service that is not running cannot be entered', async () => {
    const con = new FakeConsole();
    const manager = new TerminalManager(con, { services: serviceShellProvider(() => null) });
    con.manager = manager;
    managers.push(manager);
    const id = randomUUID();
    await manager.open({ id: randomUUID(), payload: { session_id: id, cols: 80, rows: 24, target: { kind: 'service', service_id: 'gone' } } });
    expect(con.text).toContain('service gone is not running on this server');
    expect(con.frames.find((f) => f.type === 'terminal_exit')).toBeTruthy();
    expect(manager.count).toBe(0);
  });
});
