import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, MAX_PTY_READ_BYTES, TerminalManager } from '../../src/terminal/index.js';
import { FakeConsole } from './fake-transport.js';

const managers: TerminalManager[] = [];

/** Text like a pasted file: short lines (a terminal's line editor holds 4 KiB per line). */
function pasteOf(bytes: number) {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i += 1) {
    const line = `${createHash('sha1').update(String(i)).digest('base64')}${i}\n`;
    lines.push(line);
    n += line.length;
  }
  return lines.join('');
}
afterEach(() => {
  for (const m of managers.splice(0)) m.closeAll();
});

async function openShell(opts: { limits?: any; graceMs?: number } = {}) {
  const con = new FakeConsole();
  const manager = new TerminalManager(con, { profile: 'none', ...opts });
  con.manager = manager;
  managers.push(manager);
  const id = randomUUID();
  await manager.open({ id: randomUUID(), payload: { session_id: id, cols: 80, rows: 24, target: { kind: 'host' }, shell: '/bin/bash' } });
  expect(con.frames[0]).toMatchObject({ type: 'terminal_opened', payload: { session_id: id } });
  const type = (s: string) => manager.input(id, Buffer.from(s));
  // A marker computed by the shell, so the echo of the command line itself does not match.
  const run = async (cmd: string, marker: string) => {
    type(`${cmd}; echo "${marker}$((6*7))"\r`);
    await con.until(() => con.text.includes(`${marker}42`), 10_000, marker);
  };
  return { con, manager, id, type, run };
}

describe('agent terminal sessions (real pty)', () => {
  it('echoes typed input back', async () => {
    const { con, type } = await openShell();
    type('echo hello-$((40+2))\r');
    await con.until(() => con.text.includes('hello-42'));
  });

  it('keeps what is typed while the shell is still starting', async () => {
    const con = new FakeConsole();
    const manager = new TerminalManager(con, { profile: 'none' });
    con.manager = manager;
    managers.push(manager);
    const id = randomUUID();
    const opening = manager.open({ id: randomUUID(), payload: { session_id: id, cols: 80, rows: 24, target: { kind: 'host' }, shell: '/bin/bash' } });
    manager.input(id, Buffer.from('echo "early-$((3*3))"\r'));
    await opening;
    await con.until(() => con.text.includes('early-9'));
  });

  it('reports the new size to programs after a resize', async () => {
    const { con, manager, id, type } = await openShell();
    manager.resize({ id: randomUUID(), payload: { session_id: id, cols: 132, rows: 43 } });
    type('stty size\r');
    await con.until(() => con.text.includes('43 132'));
  });

  it('interrupts a running program with Ctrl-C', async () => {
    const { con, type, run } = await openShell();
    // Ctrl-C only once the program runs (its own output says so, from the very process Ctrl-C must stop:
    // the echo and the sleep are one foreground process, so the signal cannot land between them).
    type(`sh -c 'echo "running-$((2+2))"; exec sleep 30'; echo "not-$((1+1))-interrupted"\r`);
    await con.until(() => con.text.includes('running-4'));
    type('\x03');
    await run('echo "rc=$?"', 'after-ctrl-c');
    expect(con.text).toContain('rc=130');
    expect(con.text).not.toContain('not-2-interrupted');
  });

  it('reports the exit code when the shell exits', async () => {
    const { con, type, manager } = await openShell();
    type('exit 7\r');
    await con.until(() => con.frames.some((f) => f.type === 'terminal_exit'));
    expect(con.frames.find((f) => f.type === 'terminal_exit')!.payload).toMatchObject({ exit_code: 7, signal: null });
    expect(manager.count).toBe(0);
  });

  it('hangs up the shell when the console closes the session, even if its socket goes right after', async () => {
    const { con, manager, id, run } = await openShell();
    await run('true', 'up');
    manager.close({ id: randomUUID(), payload: { session_id: id } });
    manager.detach(id);
    // node-pty reports the exit once the pty's output is drained: on a saturated machine that can take a while.
    await con.until(() => con.frames.some((f) => f.type === 'terminal_exit'), 30_000, 'terminal_exit');
    expect(con.frames.find((f) => f.type === 'terminal_exit')!.payload).toMatchObject({ session_id: id, exit_code: null, signal: 'SIGHUP' });
    expect(manager.count).toBe(0);
  });

  it('delivers a 1 MB paste intact and in order', async () => {
    const { con, type } = await openShell();
    const paste = pasteOf(1024 * 1024);
    const expected = createHash('sha256').update(paste).digest('hex');
    // The paste goes in once `head` reads the terminal, not bash's line editor.
    type(`stty -echo; echo "go-$((1+1))"; head -c ${Buffer.byteLength(paste)} | sha256sum; stty echo\r`);
    await con.until(() => con.text.includes('go-2'));
    type(paste);
    await con.until(() => /[0-9a-f]{64}/.test(con.text), 30_000, 'checksum');
    expect(con.text).toContain(expected);
  });

  it('pauses a flood of output while the console does not acknowledge it, and resumes on ack', async () => {
    const { con, manager, id, type } = await openShell();
    con.autoAck = false;
    type('yes 0123456789012345678901234567890123456789 | head -c 50000000; echo; echo done-$((1+1))\r');
    const session = manager.session(id)!;
    await con.until(() => session.isPaused, 10_000, 'pause');
    await new Promise((r) => setTimeout(r, 500));
    const sent = con.bytes;
    // The design's guarantee, whatever the timing: a frame goes out only while less than a window is
    // unacknowledged, and a frame is at most one batch plus one pty read. Reads that were already on
    // their way when the pty paused wait on the agent (bounded by what the paused pty had handed out).
    expect(sent).toBeLessThanOrEqual(DEFAULT_LIMITS.windowBytes + DEFAULT_LIMITS.maxBatchBytes + MAX_PTY_READ_BYTES);
    await new Promise((r) => setTimeout(r, 500));
    expect(con.bytes, 'nothing more is sent while paused').toBe(sent);
    expect(session.heldBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.windowBytes + 3 * DEFAULT_LIMITS.maxBatchBytes);
    con.autoAck = true;
    manager.ack({ id: randomUUID(), payload: { session_id: id, seq: con.lastSeq } });
    await con.until(() => con.text.includes('done-2'), 60_000, 'flood to finish');
    expect(session.counters.bytesOut).toBeGreaterThan(50_000_000);
  }, 90_000);

  it('replays exactly the missed output once when a console resumes', async () => {
    const { con, manager, id, type, run } = await openShell();
    await run('true', 'ready');
    manager.detach(id);
    con.connected = false;
    const seen = con.lastSeq;
    type('for i in 1 2 3; do echo "missed-line-$i"; done\r');
    await new Promise((r) => setTimeout(r, 500));
    con.connected = true;
    manager.attach({ id: randomUUID(), payload: { session_id: id, last_seq: seen } });
    await run('true', 'resumed');
    const missed = con.text.match(/missed-line-2\r\n/g) ?? [];
    expect(missed).toHaveLength(1);
    // Sequence numbers seen by the console are gap-free and never repeat.
    const seqs = con.chunks.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('ends a session whose console does not come back within the grace period', async () => {
    const { con, manager, id } = await openShell({ graceMs: 200 });
    manager.detach(id);
    await new Promise((r) => setTimeout(r, 600));
    expect(manager.count).toBe(0);
    manager.attach({ id: randomUUID(), payload: { session_id: id, last_seq: 0 } });
    expect(con.frames.at(-1)).toMatchObject({ type: 'error' });
  });
});
