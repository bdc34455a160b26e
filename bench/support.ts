/** What the benchmarks share: ports, waiting, percentiles, and how Syntra's processes are started. */
import fs from 'node:fs';
import path from 'node:path';

export { freePort } from '../backend/src/embedded/free-port.js';
export { AGENT_NODE_FLAGS } from '../backend/src/modules/agent-dist/agent-node-flags.js';
export { CONTROL_PLANE_NODE_FLAGS } from '../scripts/node-flags.mjs';

export const root = path.resolve(import.meta.dirname, '..');
export const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The value below which p % of `values` fall (NaN when there are none). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU seconds (user + system) a process (all threads), or one thread of it, has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number, thread?: number): number {
  try {
    const stat = fs.readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by a process and its live children (PostgreSQL's postmaster and backends). */
export function cpuSecondsWithChildren(pid: number): number {
  let total = cpuSecondsOf(pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += cpuSecondsOf(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** USER_HZ: /proc/<pid>/stat counts in these; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** CPU seconds so far per thread name of a process (V8's, libuv's, an embedded engine's pools). */
export function cpuSecondsByThreadName(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      // The JS thread apart from the other threads named "node" (libuv's pool, where embedded-engine
      // queries run, and V8's GC and compiler workers).
      const comm = Number(tid) === pid ? 'JS' : fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(comm, (out.get(comm) ?? 0) + cpuSecondsOf(pid, Number(tid)));
    }
  } catch {
    // gone
  }
  return out;
}
