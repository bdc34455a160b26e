import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

/** Bytes a process read from and wrote to storage (/proc/<pid>/io; unreadable for other users' processes). */
function processIo(pid: string): { read: number; write: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { read: field('read_bytes'), write: field('write_bytes') };
  } catch {
    return { read: 0, write: 0 };
  }
}

/** CPU ticks, resident memory and storage I/O of every process in a process group (Linux /proc; zeros elsewhere). */
export function groupUsage(pgid: number): { ticks: number; rssBytes: number; readBytes: number; writeBytes: number } {
  let ticks = 0;
  let rssBytes = 0;
  let readBytes = 0;
  let writeBytes = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return { ticks, rssBytes, readBytes, writeBytes };
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
    const io = processIo(entry);
    readBytes += io.read;
    writeBytes += io.write;
  }
  return { ticks, rssBytes, readBytes, writeBytes };
}

export interface GroupSample {
  cpu_percent: number;
  memory_mb: number;
  disk_read_bps: number;
  disk_write_bps: number;
}

/** CPU % and storage throughput since the previous sample, and memory in MB, of a process group. */
export class GroupSampler {
  private last: { ticks: number; read: number; write: number; at: number } | null = null;

  sample(pgid: number | null): GroupSample {
    if (!pgid) return { cpu_percent: 0, memory_mb: 0, disk_read_bps: 0, disk_write_bps: 0 };
    const now = Date.now();
    const u = groupUsage(pgid);
    const prev = this.last;
    this.last = { ticks: u.ticks, read: u.readBytes, write: u.writeBytes, at: now };
    const seconds = prev ? (now - prev.at) / 1000 : 0;
    // A process that exited takes its counters along: a negative difference is a restart, not a rate.
    const rate = (cur: number, before: number | undefined) => (prev && seconds > 0 && before !== undefined ? Math.max(0, (cur - before) / seconds) : 0);
    const cpu = prev && seconds > 0 ? Math.max(0, ((u.ticks - prev.ticks) / TICKS_PER_SECOND / seconds) * 100) : 0;
    return {
      cpu_percent: Math.round(cpu * 10) / 10,
      memory_mb: Math.round((u.rssBytes / 1048576) * 10) / 10,
      disk_read_bps: Math.round(rate(u.readBytes, prev?.read)),
      disk_write_bps: Math.round(rate(u.writeBytes, prev?.write)),
    };
  }
}
