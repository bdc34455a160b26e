import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroupLimiter } from '../../src/runtime/cgroup-limits.js';
import type { Instance, InstanceSpec } from '../../src/runtime/instance.js';
import { ProcessInstanceRuntime } from '../../src/runtime/process-supervisor.js';
import { tmpDir } from './support.js';

// Touches `MB` megabytes in 8 MB steps (Buffer.alloc writes every page), printing progress; then idles.
const HOG = `let held = []; for (let i = 1; i <= Number(process.env.MB) / 8; i += 1) { held.push(Buffer.alloc(8 << 20, 1)); console.log('allocated ' + i * 8 + ' MB'); } console.log('done'); setInterval(() => held.length, 1000);`;
// The same through V8's heap (arrays of numbers), which Node's --max-old-space-size bounds.
const HEAP_HOG = `let held = []; for (let i = 1; i <= Number(process.env.MB) / 8; i += 1) { held.push(new Array(1 << 20).fill(i + 0.5)); console.log('allocated ' + i * 8 + ' MB'); } console.log('done'); setInterval(() => held.length, 1000);`;

const dir = tmpDir('limits');
fs.writeFileSync(path.join(dir, 'hog.js'), HOG);
fs.writeFileSync(path.join(dir, 'heap-hog.js'), HEAP_HOG);
const running: Instance[] = [];
afterAll(async () => {
  await Promise.all(running.map((i) => i.stop(2000)));
  fs.rmSync(dir, { recursive: true, force: true });
});

let nextPort = 40_000 + Math.floor(Math.random() * 10_000);

async function run(runtime: ProcessInstanceRuntime, script: string, env: Record<string, string>, limits: InstanceSpec['limits']) {
  const lines: string[] = [];
  const instance = await runtime.start({
    serviceId: crypto.randomUUID(),
    deploymentId: crypto.randomUUID(),
    workdir: dir,
    image: null,
    startCommand: `node ${script}`,
    port: (nextPort += 1),
    env,
    limits,
    onLog: (_stream, line) => void lines.push(line),
  });
  running.push(instance);
  return { instance, lines };
}

/** Until the app printed `done` or the supervisor saw it die; what happened first. */
async function outcome(lines: string[]): Promise<'done' | 'killed'> {
  for (;;) {
    if (lines.includes('done')) return 'done';
    if (lines.some((l) => /process exited/.test(l))) return 'killed';
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cgroups = detectCgroupLimiter();

describe('process runtime limits', () => {
  it.skipIf(!cgroups)('with writable cgroups: a process tree above its memory limit is killed and restarted; under it, it runs', async () => {
    const runtime = new ProcessInstanceRuntime({ baseBackoffMs: 100 });
    const over = await run(runtime, 'hog.js', { MB: '256' }, { cpu: null, memory: '64m' });
    expect(await outcome(over.lines)).toBe('killed');
    expect(over.lines.join('\n')).toMatch(/limits enforced by cgroup v[12]: memory 64m/);
    // The kernel's OOM killer, not the app giving up.
    expect(over.lines.join('\n')).toMatch(/process exited \((SIGKILL|137)\); restarting/);
    expect(over.lines).not.toContain('allocated 128 MB');
    const under = await run(runtime, 'hog.js', { MB: '32' }, { cpu: null, memory: '128m' });
    expect(await outcome(under.lines)).toBe('done');
  }, 60_000);

  it.skipIf(!cgroups)('with writable cgroups: the CPU limit is a CFS quota on the process', async () => {
    const runtime = new ProcessInstanceRuntime();
    const { instance, lines } = await run(runtime, 'hog.js', { MB: '8' }, { cpu: '250m', memory: null });
    expect(await outcome(lines)).toBe('done');
    const membership = fs.readFileSync(`/proc/${instance.pid!()}/cgroup`, 'utf8');
    if (cgroups!.version === 2) {
      const group = /^0::(.*)$/m.exec(membership)![1]!;
      expect(fs.readFileSync(path.join('/sys/fs/cgroup', group, 'cpu.max'), 'utf8').trim()).toBe('25000 100000');
    } else {
      const group = /^\d+:[\w,]*\bcpu\b[\w,]*:(.*)$/m.exec(membership)![1]!;
      expect(fs.readFileSync(path.join('/sys/fs/cgroup/cpu', group, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('25000');
    }
  }, 30_000);

  it('without cgroups: a Node app is held to its memory limit through its heap size', async () => {
    const runtime = new ProcessInstanceRuntime({ baseBackoffMs: 100, cgroupRoot: null });
    const over = await run(runtime, 'heap-hog.js', { MB: '256' }, { cpu: '0.5', memory: '64m' });
    expect(await outcome(over.lines)).toBe('killed');
    expect(over.lines.join('\n')).toContain("no writable cgroup: memory limited only as Node's heap (48 MB); cpu limit not enforced");
    expect(over.lines).not.toContain('allocated 128 MB');
    const unlimited = await run(runtime, 'heap-hog.js', { MB: '128' }, { cpu: null, memory: null });
    expect(await outcome(unlimited.lines)).toBe('done');
  }, 60_000);
});
