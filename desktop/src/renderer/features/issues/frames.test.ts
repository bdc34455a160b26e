import { describe, expect, it } from 'vitest';
import { contextLines, frameLocation, frameRows } from './frames.js';

const f = (fn: string, in_app: boolean) => ({ function: fn, filename: `${fn}.js`, lineno: 1, in_app });

describe('stack frames as the viewer shows them', () => {
  it('puts the crash site first and folds runs of system frames between in-app ones', () => {
    // Oldest first, as SDKs send them: node internals → app → library → app (throws here).
    const rows = frameRows([f('processTicks', false), f('listOnTimeout', false), f('handler', true), f('expressNext', false), f('loadUser', true)]);
    expect(rows.map((r) => (r.kind === 'frame' ? r.frame.function : `system×${r.frames.length}`))).toEqual(['loadUser', 'system×1', 'handler', 'system×2']);
    expect(rows[0]).toMatchObject({ kind: 'frame', crash: true });
  });

  it('shows every frame of a trace without in-app code rather than hiding the cause', () => {
    const rows = frameRows([f('a', false), f('b', false)]);
    expect(rows.map((r) => r.kind)).toEqual(['frame', 'frame']);
  });

  it('reads a frame as function at file:line:col', () => {
    expect(frameLocation({ function: 'loadUser', filename: 'app/users.js', lineno: 12, colno: 7 })).toEqual({ fn: 'loadUser', file: 'app/users.js:12:7' });
    expect(frameLocation({ module: 'node:internal/timers' })).toEqual({ fn: '<anonymous>', file: 'node:internal/timers' });
  });

  it('numbers the context lines around the frame and marks its own line', () => {
    const lines = contextLines({ lineno: 10, context_line: 'throw err;', pre_context: ['a', 'b'], post_context: ['c'] });
    expect(lines).toEqual([
      { no: 8, text: 'a', current: false },
      { no: 9, text: 'b', current: false },
      { no: 10, text: 'throw err;', current: true },
      { no: 11, text: 'c', current: false },
    ]);
    expect(contextLines({ lineno: 3 })).toEqual([]);
  });
});
