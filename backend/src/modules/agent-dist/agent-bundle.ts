import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltAgentFile } from '../../install-layout.js';

/** The agent's entry point in this repository (bundled by the release build, or on demand from source). */
const AGENT_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../agent/src/main.ts');

export interface AgentBundle {
  code: string;
  sha256: string;
  version: string;
}

let cached: Promise<AgentBundle> | null = null;

/**
 * The agent as one dependency-free ES module (`ws` and `zod` inlined), served at
 * /agent/syntra-agent.mjs; runs with any Node ≥ 18. The release ships it prebuilt (dist/agent);
 * from source it is built once per process.
 */
export function agentBundle(): Promise<AgentBundle> {
  cached ??= loadOrBuild().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function loadOrBuild(): Promise<AgentBundle> {
  const prebuilt = prebuiltAgentFile('syntra-agent.mjs');
  if (!prebuilt) return buildAgentBundle();
  const code = await fs.promises.readFile(prebuilt, 'utf8');
  const versionFile = prebuiltAgentFile('syntra-agent.version');
  const version = versionFile ? (await fs.promises.readFile(versionFile, 'utf8')).trim() : 'unknown';
  return { code, sha256: createHash('sha256').update(code).digest('hex'), version };
}

/** Bundles the agent from its sources with esbuild (the release build, or a control plane run from source). */
export async function buildAgentBundle(): Promise<AgentBundle> {
  const esbuild = await import('esbuild');
  const pkg = JSON.parse(fs.readFileSync(path.resolve(AGENT_ENTRY, '../../package.json'), 'utf8')) as { version: string };
  const result = await esbuild.build({
    entryPoints: [AGENT_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    write: false,
    minify: false,
    legalComments: 'none',
    // ws loads these optional native helpers when present; the agent does without them.
    external: ['bufferutil', 'utf-8-validate', '@lydell/node-pty', 'node-pty'],
    define: { 'process.env.SYNTRA_AGENT_BUNDLED': '"1"' },
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __syntraCreateRequire } from 'node:module'; const require = __syntraCreateRequire(import.meta.url);" },
  });
  const code = result.outputFiles[0]!.text;
  return { code, sha256: createHash('sha256').update(code).digest('hex'), version: pkg.version };
}

/** Writes the bundle to `file` (mode 0755) when its content changed; returns the path. */
export async function writeAgentBundle(file: string): Promise<string> {
  const bundle = await agentBundle();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current !== bundle.code) fs.writeFileSync(file, bundle.code, { mode: 0o755 });
  return file;
}
