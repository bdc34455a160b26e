import fs from 'node:fs';

/** One process of a stack: its resident memory now and at its peak (VmRSS / VmHWM), MB. */
export interface ProcessRss {
  pid: number;
  command: string;
  rssMb: number;
  peakMb: number;
}

function status(pid: number): { rss: number; peak: number; ppid: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024, ppid: kb('PPid') };
  } catch {
    return null;
  }
}

/**
 * The resident memory of a process and all its descendants (the `npm start` stack: the control
 * plane with its embedded ClickHouse, PostgreSQL's processes, Redis, the local agent). Summing RSS
 * counts PostgreSQL's shared buffers once per process: an upper bound, which is what a goal wants.
 */
export function stackRss(rootPid: number): { totalMb: number; peakMb: number; processes: ProcessRss[] } {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = status(Number(entry));
    if (s) parents.set(Number(entry), s.ppid);
  }
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!inTree.has(pid) && inTree.has(ppid)) grew = inTree.add(pid) !== null;
  }
  const processes: ProcessRss[] = [];
  for (const pid of inTree) {
    const s = status(pid);
    if (!s) continue;
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 80);
    } catch {
      /* gone */
    }
    processes.push({ pid, command, rssMb: Math.round(s.rss), peakMb: Math.round(s.peak) });
  }
  return {
    totalMb: processes.reduce((n, p) => n + p.rssMb, 0),
    peakMb: processes.reduce((n, p) => n + p.peakMb, 0),
    processes: processes.sort((a, b) => b.rssMb - a.rssMb),
  };
}
