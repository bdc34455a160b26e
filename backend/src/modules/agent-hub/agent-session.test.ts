import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { AgentSession } from './agent-session.js';

const session = () => new AgentSession({ readyState: 3 } as unknown as WebSocket, 'server', 'org', 'name');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an agent session handles frames of one type in the order they came', () => {
  it('a slow first log batch is finished before the second one starts; other types do not wait', async () => {
    const s = session();
    const done: string[] = [];
    const first = s.inOrder('log_stream', async () => {
      await sleep(50);
      done.push('log 1');
    });
    const second = s.inOrder('log_stream', () => void done.push('log 2'));
    const other = s.inOrder('heartbeat', () => void done.push('heartbeat'));
    await Promise.all([first, second, other]);
    expect(done).toEqual(['heartbeat', 'log 1', 'log 2']);
  });

  it('a failing handler does not stop the ones after it, and its own caller sees the failure', async () => {
    const s = session();
    const failed = s.inOrder('build_log', () => {
      throw new Error('store down');
    });
    await expect(failed).rejects.toThrow('store down');
    await expect(s.inOrder('build_log', () => 'next')).resolves.toBe('next');
  });
});
