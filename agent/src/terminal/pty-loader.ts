import { createRequire } from 'node:module';
import path from 'node:path';
import type * as NodePty from '@lydell/node-pty';

export type PtyModule = typeof NodePty;

let loaded: Promise<PtyModule> | null = null;

/**
 * node-pty is native, so the single-file agent bundle leaves it out. It is loaded on the first
 * terminal: from beside the agent, else from `SYNTRA_AGENT_MODULES` or the working directory's
 * node_modules. Without it the agent runs fine and terminal_open answers with a clear error.
 */
export function loadPty(): Promise<PtyModule> {
  loaded ??= (async () => {
    try {
      const mod = (await import('@lydell/node-pty')) as PtyModule & { default?: PtyModule };
      return mod.default ?? mod;
    } catch {
      for (const dir of [process.env.SYNTRA_AGENT_MODULES, process.cwd()]) {
        if (!dir) continue;
        try {
          return createRequire(path.join(dir, 'noop.js'))('@lydell/node-pty') as PtyModule;
        } catch {
          /* next */
        }
      }
      throw new Error('terminals need @lydell/node-pty on this server (npm install @lydell/node-pty beside the agent, or set SYNTRA_AGENT_MODULES)');
    }
  })().catch((err: unknown) => {
    loaded = null;
    throw err;
  });
  return loaded;
}
