import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../shared/ipc.js';
import { trayMenuOf, trayStateOf } from './tray-state.js';

const server = (id: string, status: LiveSnapshot['servers'][number]['status']) => ({ id, name: `srv-${id}`, status });
const snap = (over: Partial<LiveSnapshot> = {}): LiveSnapshot => ({ connected: true, servers: [], deployments: [], ...over });

describe('tray state', () => {
  it('is disconnected whenever the live connection is gone, whatever the servers say', () => {
    expect(trayStateOf(snap({ connected: false, servers: [server('1', 'online')] }))).toBe('disconnected');
  });

  it('is ok with every server online, or with no servers yet', () => {
    expect(trayStateOf(snap())).toBe('ok');
    expect(trayStateOf(snap({ servers: [server('1', 'online'), server('2', 'online')] }))).toBe('ok');
  });

  it('is degraded when some server is offline, in error or updating, or a deployment failed', () => {
    expect(trayStateOf(snap({ servers: [server('1', 'online'), server('2', 'offline')] }))).toBe('degraded');
    expect(trayStateOf(snap({ servers: [server('1', 'online'), server('2', 'updating')] }))).toBe('degraded');
    expect(trayStateOf(snap({ servers: [server('1', 'online')], deployments: [{ id: 'd', service_name: 'web', status: 'failed' }] }))).toBe('degraded');
  });

  it('is down when every server is offline or in error', () => {
    expect(trayStateOf(snap({ servers: [server('1', 'offline'), server('2', 'error')] }))).toBe('down');
  });

  it('follows a sequence of events: connect, a server drops, it returns, the connection drops', () => {
    const states = [
      snap({ connected: false }),
      snap({ servers: [server('1', 'online'), server('2', 'online')] }),
      snap({ servers: [server('1', 'online'), server('2', 'offline')] }),
      snap({ servers: [server('1', 'offline'), server('2', 'offline')] }),
      snap({ servers: [server('1', 'online'), server('2', 'online')] }),
      snap({ connected: false, servers: [server('1', 'online'), server('2', 'online')] }),
    ].map(trayStateOf);
    expect(states).toEqual(['disconnected', 'ok', 'degraded', 'down', 'ok', 'disconnected']);
  });

  it('lists servers worst first in the menu, each opening its page, with alerts and quit', () => {
    const menu = trayMenuOf(snap({ servers: [server('1', 'online'), server('2', 'offline')] }), [{ title: 'srv-2 is offline', path: '/servers/2' }]);
    const labels = menu.filter((i) => !i.separator).map((i) => i.label);
    expect(labels[0]).toBe('Open console');
    expect(labels[1]).toContain('srv-2 — offline');
    expect(labels[2]).toContain('srv-1 — online');
    expect(menu.find((i) => i.label.includes('srv-2 —'))?.action).toEqual({ kind: 'open', path: '/servers/2' });
    expect(labels).toContain('srv-2 is offline');
    expect(menu.at(-1)?.action).toEqual({ kind: 'quit' });
  });

  it('caps a long server list with a link to all servers', () => {
    const many = Array.from({ length: 40 }, (_, i) => server(String(i), 'online'));
    const menu = trayMenuOf(snap({ servers: many }), []);
    expect(menu.filter((i) => i.action?.kind === 'open' && i.action.path.startsWith('/servers/'))).toHaveLength(15);
    expect(menu.some((i) => i.label === 'All 40 servers…')).toBe(true);
  });
});
