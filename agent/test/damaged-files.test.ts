import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandJournal } from '../src/core/command-journal.js';
import { DeployManager } from '../src/deploy/deploy-manager.js';
import { EdgeProxy } from '../src/edge/index.js';
import { createAgentLogger } from '../src/log.js';
import { ProcessInstanceRuntime } from '../src/runtime/process-supervisor.js';
import { TelemetryBuffer } from '../src/telemetry/buffer.js';

/** Files the agent reads back after a restart: a damaged one must not keep it from starting or serving. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-damaged-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const log = createAgentLogger('error');

describe('damaged agent files', () => {
  it.each(['{}', 'null', '"text"', '[1, null, ["id"], ["id", null]]', '{"broken'])('a command journal holding %s loads empty and still records', (content) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'journal-'));
    fs.writeFileSync(path.join(dir, 'commands.json'), content);
    const journal = new CommandJournal(dir);
    expect(journal.get('some-id')).toBeUndefined();
    journal.record({ request_id: 'r1', ok: true, data: {} });
    expect(new CommandJournal(dir).get('r1')).toMatchObject({ ok: true });
  });

  it('a telemetry batch that is torn or not a batch is dropped, the others are still sent', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'telemetry-'));
    const buffer = new TelemetryBuffer(dir, 10 * 1024 * 1024, log);
    const good = buffer.append([{ kind: 'metric', ts: new Date().toISOString(), name: 'host.cpu_percent', value: 1 }])!;
    const torn = buffer.append([{ kind: 'metric', ts: new Date().toISOString(), name: 'host.cpu_percent', value: 2 }])!;
    const wrong = buffer.append([{ kind: 'metric', ts: new Date().toISOString(), name: 'host.cpu_percent', value: 3 }])!;
    fs.writeFileSync(path.join(dir, `${String(torn).padStart(12, '0')}.json`), '{"seq": 2, "items": [');
    fs.writeFileSync(path.join(dir, `${String(wrong).padStart(12, '0')}.json`), JSON.stringify({ seq: wrong, items: 'nope' }));
    expect(buffer.read(good)?.items).toHaveLength(1);
    expect(buffer.read(torn)).toBeNull();
    expect(buffer.read(wrong)).toBeNull();
    expect(buffer.seqs()).toEqual([good]);
  });

  it.each(['null', '7', '{"svc": {"not": "a deploy"}}', '{"broken'])('a deploy state file holding %s does not stop the agent from starting', async (content) => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'deploy-'));
    fs.mkdirSync(path.join(dataDir, 'deploy'));
    fs.writeFileSync(path.join(dataDir, 'deploy', 'state.json'), content);
    const edge = new EdgeProxy();
    const statuses: unknown[] = [];
    const manager = new DeployManager({
      baseUrl: 'http://127.0.0.1:1', token: 't', dataDir, runtime: new ProcessInstanceRuntime({ baseBackoffMs: 100 }), edge,
      sender: { deployStatus: (s) => statuses.push(s), logStream: () => undefined }, drainTimeoutMs: 100,
    });
    await expect(manager.restore()).resolves.toBeUndefined();
    expect(statuses).toEqual([]);
    await manager.close();
    await edge.close();
  });
});
