import type { InstanceSpec } from './instance.js';

/** `0.5` / `500m` → NanoCpus; `512m` / `1g` / `256Mi` → bytes (the service API's quantities). */
export function parseLimits(limits: InstanceSpec['limits']) {
  const out: { NanoCpus?: number; Memory?: number } = {};
  if (limits.cpu) out.NanoCpus = Math.round((limits.cpu.endsWith('m') ? Number(limits.cpu.slice(0, -1)) / 1000 : Number(limits.cpu)) * 1e9);
  if (limits.memory) {
    const m = /^(\d+(?:\.\d+)?)([kmg])?i?b?$/i.exec(limits.memory);
    if (m) out.Memory = Math.round(Number(m[1]) * { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? 'm').toLowerCase() as 'k' | 'm' | 'g']);
  }
  return out;
}
