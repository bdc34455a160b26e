import fs from 'node:fs';
import os from 'node:os';

export interface HostFacts {
  os: { name: string; version: string };
  arch: string;
  network: { hostname: string; public_ip: string | null; private_ip: string | null };
  resources: { cpu_cores: number; memory_total_mb: number; disk_total_gb: number };
}

function osRelease(): { name: string; version: string } {
  try {
    const text = fs.readFileSync('/etc/os-release', 'utf8');
    const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
    return { name: (field('ID') ?? os.type()).slice(0, 50), version: (field('VERSION_ID') ?? os.release()).slice(0, 50) };
  } catch {
    return { name: os.type().slice(0, 50), version: os.release().slice(0, 50) };
  }
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, /^f[cd]/i, /^fe80/i];

/** The first non-internal IPv4 (else IPv6) address, split into private and public. */
function addresses(): { public_ip: string | null; private_ip: string | null } {
  const all = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a && !a.internal));
  const sorted = [...all.filter((a) => a.family === 'IPv4'), ...all.filter((a) => a.family === 'IPv6')];
  const priv = sorted.find((a) => PRIVATE.some((re) => re.test(a.address)));
  const pub = sorted.find((a) => !PRIVATE.some((re) => re.test(a.address)));
  return { public_ip: pub?.address ?? null, private_ip: priv?.address ?? null };
}

export function diskStats(dir: string): { totalGb: number; usedGb: number } {
  try {
    const s = fs.statfsSync(dir);
    const total = s.blocks * s.bsize;
    const free = s.bfree * s.bsize;
    return { totalGb: total / 1024 ** 3, usedGb: (total - free) / 1024 ** 3 };
  } catch {
    return { totalGb: 0, usedGb: 0 };
  }
}

export function hostFacts(diskPath = '/'): HostFacts {
  return {
    os: osRelease(),
    arch: os.arch(),
    network: { hostname: os.hostname(), ...addresses() },
    resources: {
      cpu_cores: os.cpus().length,
      memory_total_mb: Math.round(os.totalmem() / 1024 ** 2),
      disk_total_gb: Math.round(diskStats(diskPath).totalGb * 100) / 100,
    },
  };
}
