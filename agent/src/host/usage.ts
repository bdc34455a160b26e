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

/** Samples host usage; CPU % is measured between two consecutive samples. */
export class UsageSampler {
  private last = cpuTimes();

  constructor(private readonly diskPath = '/') {}

  sample(): HostUsage {
    const now = cpuTimes();
    const total = now.total - this.last.total;
    const idle = now.idle - this.last.idle;
    this.last = now;
    const cpu = total > 0 ? Math.min(100, Math.max(0, (1 - idle / total) * 100)) : 0;
    const [l1, l5, l15] = os.loadavg();
    return {
      cpu_percent: round(cpu),
      memory_used_mb: round(memoryUsedMb()),
      disk_used_gb: round(diskStats(this.diskPath).usedGb),
      load_avg: [round(l1 ?? 0), round(l5 ?? 0), round(l15 ?? 0)],
    };
  }
}
