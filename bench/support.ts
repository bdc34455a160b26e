/** What the benchmarks share: ports, waiting, percentiles, and how Syntra's processes are started. */
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
