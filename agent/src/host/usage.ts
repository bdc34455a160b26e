import fs from 'node:fs';
import os from 'node:os';
import type { HostUsage } from '@syntra/shared';
import { diskStats } from './facts.js';

interface CpuTimes {
  idle: number;
  total: number;
}

/** Aggregate CPU times from /proc/stat (falls back to os.cpus() elsewhere). */
function cpuTimes(): CpuTimes {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const nums = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (nums[3] ?? 0) + (nums[4] ?? 0);
    return { idle, total: nums.reduce((a, b) => a + b, 0) };
  } catch {
    let idle = 0;
    let total = 0;
    for (const c of os.cpus()) {
      idle += c.times.idle;
      total += c.times.idle + c.times.user + c.times.nice + c.times.sys + c.times.irq;
    }
    return { idle, total };
  }
}

/** Used memory as the kernel sees it: MemTotal − MemAvailable. */
function memoryUsedMb(): number {
  try {
    const text = fs.readFileSync('/proc/meminfo', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return (kb('MemTotal') - kb('MemAvailable')) / 1024;
  } catch {
    return (os.totalmem() - os.freemem()) / 1024 ** 2;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

interface IoCounters {
  rx: number;
  tx: number;
  read: number;
  write: number;
  at: number;
}

/** Bytes received/sent on every interface but loopback (/proc/net/dev). */
function networkBytes(): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  try {
    for (const line of fs.readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)) {
      const [name, rest] = line.split(':');
      if (!rest || name!.trim() === 'lo') continue;
      const f = rest.trim().split(/\s+/).map(Number);
      rx += f[0] ?? 0;
      tx += f[8] ?? 0;
    }
  } catch {
    /* not Linux */
  }
  return { rx, tx };
}

// Whole disks, not their partitions (which would count the same bytes twice).
const WHOLE_DISK = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;

/** Bytes read from/written to the host's disks (/proc/diskstats counts 512-byte sectors). */
function diskBytes(): { read: number; write: number } {
  let read = 0;
  let write = 0;
  try {
    for (const line of fs.readFileSync('/proc/diskstats', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (!WHOLE_DISK.test(f[2] ?? '')) continue;
      read += Number(f[5] ?? 0) * 512;
      write += Number(f[9] ?? 0) * 512;
    }
  } catch {
    /* not Linux */
  }
  return { read, write };
}

function ioCounters(): IoCounters {
  return { ...networkBytes(), ...diskBytes(), at: Date.now() };
}

/** Samples host usage; CPU % is measured between two consecutive samples. */
export class UsageSampler {
  private last = cpuTimes();
  private lastIo = ioCounters();

  constructor(private readonly diskPath = '/') {}

  sample(): HostUsage {
    const now = cpuTimes();
    const total = now.total - this.last.total;
    const idle = now.idle - this.last.idle;
    this.last = now;
    const cpu = total > 0 ? Math.min(100, Math.max(0, (1 - idle / total) * 100)) : 0;
    const [l1, l5, l15] = os.loadavg();
    const io = ioCounters();
    const seconds = (io.at - this.lastIo.at) / 1000;
    // Counters that went backwards (a wrapped or reset device) give 0 for this sample, not a negative rate.
    const rate = (cur: number, before: number) => (seconds > 0 ? Math.round(Math.max(0, cur - before) / seconds) : 0);
    const rates = { net_rx_bps: rate(io.rx, this.lastIo.rx), net_tx_bps: rate(io.tx, this.lastIo.tx), disk_read_bps: rate(io.read, this.lastIo.read), disk_write_bps: rate(io.write, this.lastIo.write) };
    this.lastIo = io;
    return {
      ...rates,
      cpu_percent: round(cpu),
      memory_used_mb: round(memoryUsedMb()),
      disk_used_gb: round(diskStats(this.diskPath).usedGb),
      load_avg: [round(l1 ?? 0), round(l5 ?? 0), round(l15 ?? 0)],
    };
  }
}
