import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set (to true) by the release build (scripts/build.mjs) through esbuild's `define`; absent when run from source. */
declare const SYNTRA_BUNDLED: boolean | undefined;

const here = path.dirname(fileURLToPath(import.meta.url));
const bundled = typeof SYNTRA_BUNDLED !== 'undefined' && SYNTRA_BUNDLED;

export interface InstallLayout {
  /** True when running the compiled release (dist/syntra/syntra.mjs), false from source (tsx, vitest). */
  bundled: boolean;
  /** The built web console (index.html and assets). */
  consoleDir: string;
  /** The agent bundle and native-module tarballs made by the build; null from source (built on demand). */
  agentDir: string | null;
  /** The example apps `npm start`'s first-run message points at. */
  examplesDir: string;
}

/**
 * Where the parts a control plane serves live. In the release they sit beside the bundle in dist/
 * (`dist/syntra/syntra.mjs`, `dist/web`, `dist/agent`); from source they are in the repository.
 */
export const LAYOUT: InstallLayout = bundled
  ? { bundled, consoleDir: path.resolve(here, '../web'), agentDir: path.resolve(here, '../agent'), examplesDir: path.resolve(here, '../../examples') }
  : { bundled, consoleDir: path.resolve(here, '../../desktop/dist/web'), agentDir: null, examplesDir: path.resolve(here, '../../examples') };

/** A file the build put in `LAYOUT.agentDir`, or null (from source, or not built for this platform). */
export function prebuiltAgentFile(name: string): string | null {
  if (!LAYOUT.agentDir) return null;
  const file = path.join(LAYOUT.agentDir, name);
  return fs.existsSync(file) ? file : null;
}
