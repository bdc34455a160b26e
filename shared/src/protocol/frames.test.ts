import { describe, expect, it } from 'vitest';
import { buildFrame, parseFrame } from './frames.js';
import { decodeTerminalFrame, encodeTerminalFrame, isTerminalFrameOf, terminalFrameSeq, terminalFrameSessionId, terminalSessionBytes } from './terminal-binary.js';

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

describe('build frames', () => {
  const build = {
    request_id: ID,
    deployment_id: ID,
    service_id: ID,
    git: { url: 'https://git.example/app.git', ref: 'main', ssh_private_key: 'key', policy: { allow_local: false, allow_private: false, denied_addresses: ['10.0.0.1'] } },
    source_type: 'auto' as const,
    build_context: '.',
    dockerfile_path: 'Dockerfile',
    start_command: null,
    runtime: 'process' as const,
    base_images: { node: 'node:20-slim', static: 'busybox:stable' },
    base_sha: null,
    upload_url: 'https://cp.example/api/v1/artifacts/uploads/x',
  };

  it('build and build_cancel go to agents only; build_log and build_result come from them only', () => {
    expect(parseFrame(JSON.stringify(buildFrame('build', build, ID)), 'control')).toMatchObject({ ok: true });
    expect(parseFrame(JSON.stringify(buildFrame('build', build, ID)), 'agent')).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(parseFrame(JSON.stringify(buildFrame('build_cancel', { request_id: ID, deployment_id: ID }, ID)), 'control')).toMatchObject({ ok: true });
    const log = buildFrame('build_log', { deployment_id: ID, lines: [{ ts: new Date().toISOString(), stream: 'build', line: 'npm ci' }] }, ID);
    expect(parseFrame(JSON.stringify(log), 'agent')).toMatchObject({ ok: true });
    const result = { request_id: ID, deployment_id: ID, ok: false, artifact_id: null, digest: null, kind: null, image_ref: null, start_command: null, sha: null, commit_message: null, commits: [], commits_complete: false, duration_ms: 5, error: 'boom' };
    expect(parseFrame(JSON.stringify(buildFrame('build_result', result, ID)), 'agent')).toMatchObject({ ok: true });
    expect(parseFrame(JSON.stringify(buildFrame('build_result', result, ID)), 'control')).toMatchObject({ ok: false, code: 'unknown_type' });
  });

  it('refuses a build whose base sha is not a commit sha or whose commit list is unbounded', () => {
    expect(parseFrame(JSON.stringify(buildFrame('build', { ...build, base_sha: 'HEAD~1' }, ID)), 'control')).toMatchObject({ ok: false, code: 'invalid_payload' });
    const many = Array.from({ length: 201 }, () => ({ sha: 'a'.repeat(40), message: 'm' }));
    const result = { request_id: ID, deployment_id: ID, ok: true, artifact_id: ID, digest: 'sha256:x', kind: 'tarball', image_ref: null, start_command: null, sha: 'a'.repeat(40), commit_message: 'm', commits: many, commits_complete: false, duration_ms: 5, error: null };
    expect(parseFrame(JSON.stringify({ ...buildFrame('build_log', { deployment_id: ID, lines: [] as never }, ID), type: 'build_result', payload: result }), 'agent')).toMatchObject({ ok: false, code: 'invalid_payload' });
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

  it('checks and reads frames in place: kind, session and whole header, or no match', () => {
    const other = '0f1e2d3c-4b5a-4697-8877-665544332211';
    const mine = terminalSessionBytes(ID);
    const input = encodeTerminalFrame({ kind: 'input', sessionId: ID, seq: 0xfffffffe, data: new Uint8Array([107]) });
    expect(isTerminalFrameOf(input, 'input', mine)).toBe(true);
    expect(isTerminalFrameOf(input, 'output', mine)).toBe(false);
    expect(isTerminalFrameOf(input, 'input', terminalSessionBytes(other))).toBe(false);
    expect(isTerminalFrameOf(input.subarray(0, 20), 'input', mine)).toBe(false);
    expect(terminalFrameSeq(input)).toBe(0xfffffffe);
    expect(terminalFrameSessionId(encodeTerminalFrame({ kind: 'output', sessionId: other, seq: 1, data: new Uint8Array(0) }))).toBe(other);
    expect(terminalFrameSessionId(input)).toBe(ID);
  });
});
