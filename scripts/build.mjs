// `npm run build`: the release in dist/ — the control plane and the agent compiled to plain JavaScript,
// the agent's native-module tarballs, and the web console. `syntra` then runs with plain `node`.
//
//   dist/syntra/syntra.mjs            the `syntra` CLI (start | api | worker | migrate); npm packages stay
//                                     in node_modules (several load files beside them at run time: BullMQ's
//                                     Lua scripts, knex's dialects, pino's transports, PostgreSQL's binaries)
//   dist/agent/syntra-agent.mjs       the agent as one file (what install.sh downloads and the local agent runs)
//   dist/agent/native-<target>.tar.gz node-pty (+ bufferutil) for each platform this install has binaries for
//   dist/web/                         the web console
//   dist/BUILD                        what was built from, for `npm start`'s staleness check
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureConsoleBuilt } from './build-console.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(root, 'dist');
const stampFile = path.join(distDir, 'BUILD');

/** Bundles our workspaces (TypeScript) and leaves every npm package as an import of node_modules. */
const workspacesInline = {
  name: 'workspaces-inline',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@syntra/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

async function buildControlPlane(esbuild, out) {
  await esbuild.build({
    entryPoints: [path.join(root, 'backend/src/cli.ts')],
    outfile: path.join(out, 'syntra/syntra.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    plugins: [workspacesInline],
    // install-layout.ts finds the console, the agent and the examples beside the bundle when this is set.
    define: { SYNTRA_BUNDLED: 'true' },
    banner: { js: "import { createRequire as __syntraCreateRequire } from 'node:module'; const require = __syntraCreateRequire(import.meta.url);" },
  });
}

async function buildAgent(out) {
  // The same bundle the running control plane used to make on first request, made once here.
  const { buildAgentBundle } = await import('../backend/src/modules/agent-dist/agent-bundle.ts');
  const { packNativeModules, NATIVE_TARGETS } = await import('../backend/src/modules/agent-dist/native-modules.ts');
  const bundle = await buildAgentBundle();
  fs.mkdirSync(path.join(out, 'agent'), { recursive: true });
  fs.writeFileSync(path.join(out, 'agent/syntra-agent.mjs'), bundle.code, { mode: 0o755 });
  fs.writeFileSync(path.join(out, 'agent/syntra-agent.version'), `${bundle.version}\n`);
  const packed = [];
  for (const target of NATIVE_TARGETS) {
    const pkg = await packNativeModules(target);
    if (!pkg) continue;
    fs.writeFileSync(path.join(out, `agent/native-${target}.tar.gz`), pkg.tarball);
    packed.push(target);
  }
  return packed;
}

export async function build({ quiet = false } = {}) {
  const started = Date.now();
  const log = (line) => quiet || console.log(line);
  const esbuild = await import('esbuild');
  // Built aside, then swapped in part by part: a syntra process starting meanwhile (another test, a
  // second `npm start`) finds the old release or the new one, never half of one.
  const next = path.join(distDir, `.next-${process.pid}`);
  fs.rmSync(next, { recursive: true, force: true });
  await buildControlPlane(esbuild, next);
  log('  built dist/syntra/syntra.mjs');
  const targets = await buildAgent(next);
  log(`  built dist/agent/syntra-agent.mjs${targets.length ? ` and native modules for ${targets.join(', ')}` : ''}`);
  if (!ensureConsoleBuilt()) throw new Error('the web console did not build (see above)');
  fs.cpSync(path.join(root, 'desktop/dist/web'), path.join(next, 'web'), { recursive: true });
  log('  built dist/web (the web console)');
  for (const part of ['syntra', 'agent', 'web']) {
    const old = path.join(distDir, `.old-${process.pid}-${part}`);
    if (fs.existsSync(path.join(distDir, part))) fs.renameSync(path.join(distDir, part), old);
    fs.renameSync(path.join(next, part), path.join(distDir, part));
    fs.rmSync(old, { recursive: true, force: true });
  }
  fs.rmSync(next, { recursive: true, force: true });
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  })();
  const digest = createHash('sha256').update(fs.readFileSync(path.join(distDir, 'syntra/syntra.mjs'))).digest('hex');
  fs.writeFileSync(stampFile, `${JSON.stringify({ built_at: new Date().toISOString(), commit, syntra_sha256: digest }, null, 2)}\n`);
  log(`Release built in ${((Date.now() - started) / 1000).toFixed(1)} s: dist/`);
}


if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build().catch((err) => {
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
