import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

/** CPU ticks and resident memory of every process in a process group (Linux /proc; zeros elsewhere). */
export function groupUsage(pgid: number): { ticks: number; rssBytes: number } {
  let ticks = 0;
  let rssBytes = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return { ticks, rssBytes };
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which may contain spaces) start at ")"; pgrp is field 5.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    rssBytes += Number(fields[21]) * PAGE_SIZE;
  }
  return { ticks, rssBytes };
}

/** CPU % since the previous sample and memory in MB of a process group. */
export class GroupSampler {
  private last: { ticks: number; at: number } | null = null;

  sample(pgid: number | null): { cpu_percent: number; memory_mb: number } {
    if (!pgid) return { cpu_percent: 0, memory_mb: 0 };
    const now = Date.now();
    const u = groupUsage(pgid);
    const prev = this.last;
    this.last = { ticks: u.ticks, at: now };
    const seconds = prev ? (now - prev.at) / 1000 : 0;
    const cpu = prev && seconds > 0 ? Math.max(0, ((u.ticks - prev.ticks) / TICKS_PER_SECOND / seconds) * 100) : 0;
    return { cpu_percent: Math.round(cpu * 10) / 10, memory_mb: Math.round((u.rssBytes / 1048576) * 10) / 10 };
  }
}
