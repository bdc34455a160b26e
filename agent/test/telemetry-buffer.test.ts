import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryItem } from '@syntra/shared';
import { MAX_FRAME_BYTES } from '@syntra/shared';
import { createAgentLogger } from '../src/log.js';
import { TelemetryBuffer } from '../src/telemetry/buffer.js';

describe('the telemetry buffer', () => {
  it('splits a burst of service output into batches that each fit one frame, keeping every line in order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-buffer-'));
    const buffer = new TelemetryBuffer(dir, 100 * 1024 * 1024, createAgentLogger('error'));
    const ts = new Date().toISOString();
    // ~12 MiB of output between two flushes: 200 lines of 60 KiB.
    const items: TelemetryItem[] = Array.from({ length: 200 }, (_, i) => ({ kind: 'log', ts, service_id: 'svc', stream: 'stdout', line: `${i} ${'x'.repeat(60 * 1024)}` }));
    buffer.append(items);
    const batches = buffer.seqs().map((seq) => buffer.read(seq)!);
    expect(batches.length).toBeGreaterThan(10);
    for (const b of batches) expect(JSON.stringify(b).length).toBeLessThan(MAX_FRAME_BYTES / 2);
    const lines = batches.flatMap((b) => b.items.map((i) => (i.kind === 'log' ? Number(i.line.split(' ')[0]) : -1)));
    expect(lines).toEqual(items.map((_, i) => i));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
