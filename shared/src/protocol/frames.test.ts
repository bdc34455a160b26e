import { describe, expect, it } from 'vitest';
import { buildFrame, parseFrame } from './frames.js';
import { decodeTerminalFrame, encodeTerminalFrame } from './terminal-binary.js';

const ID = '2b0c6a52-0f5e-4c55-9a55-1d2b3c4d5e6f';

describe('frames', () => {
  it('round-trips a valid frame and narrows its type', () => {
    const f = buildFrame('command', { request_id: ID, name: 'host.info', args: {} }, ID);
    const parsed = parseFrame(JSON.stringify(f), 'control');
    expect(parsed.ok && parsed.frame.type).toBe('command');
  });

  it('reports malformed JSON, unknown types, wrong direction and bad payloads distinctly', () => {
    expect(parseFrame('{nope', 'agent')).toMatchObject({ ok: false, code: 'malformed_frame' });
    const unknown = { ...buildFrame('pong', {}, ID), type: 'teleport' };
    expect(parseFrame(JSON.stringify(unknown), 'agent')).toMatchObject({ ok: false, code: 'unknown_type', id: ID });
    expect(parseFrame(JSON.stringify(buildFrame('pong', {}, ID)), 'agent')).toMatchObject({ ok: false, code: 'unknown_type' });
    const bad = { ...buildFrame('heartbeat', { resources: { cpu_percent: 1, memory_used_mb: 1, disk_used_gb: 1, load_avg: [0, 0, 0] }, services: [] }, ID), payload: { resources: 'x' } };
    expect(parseFrame(JSON.stringify(bad), 'agent')).toMatchObject({ ok: false, code: 'invalid_payload', id: ID });
  });
});

describe('terminal binary frames', () => {
  it('encodes kind, session id, big-endian sequence and data', () => {
    const data = Uint8Array.from('ls -la\n', (c) => c.charCodeAt(0));
    const bytes = encodeTerminalFrame({ kind: 'output', sessionId: ID, seq: 0x01020304, data });
    expect(bytes[0]).toBe(1);
    expect(Array.from(bytes.slice(17, 21))).toEqual([1, 2, 3, 4]);
    const back = decodeTerminalFrame(bytes);
    expect(back).toMatchObject({ kind: 'output', sessionId: ID, seq: 0x01020304 });
    expect(String.fromCharCode(...back!.data)).toBe('ls -la\n');
    expect(decodeTerminalFrame(bytes.slice(0, 10))).toBeNull();
  });

  it('keeps interleaved sessions apart (the codec remembers the last id each way)', () => {
    const other = '0f1e2d3c-4b5a-4697-8877-665544332211';
    const frames = [ID, other, other, ID, other.toUpperCase()].map((sessionId, seq) => encodeTerminalFrame({ kind: 'input', sessionId, seq, data: new Uint8Array([seq]) }));
    expect(frames.map((f) => decodeTerminalFrame(f)!.sessionId)).toEqual([ID, other, other, ID, other]);
    expect(() => encodeTerminalFrame({ kind: 'input', sessionId: 'not-a-uuid', seq: 0, data: new Uint8Array(0) })).toThrow(/not a uuid/);
  });
});
