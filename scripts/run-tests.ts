// Starts throwaway stores, runs type checks, lint and vitest against them, and always stops them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../backend/src/embedded/postgres.js';
import { startEmbeddedRedis } from '../backend/src/embedded/redis.js';
import { createLogger } from '../backend/src/logger.js';
import { createDb, migrateLatest } from '../backend/src/db/knex.js';
import { runConsoleE2e } from './console-e2e.js';
import { ensureDebianPackages } from './ensure-debian-packages.js';
import { ensureBuilt } from './release.mjs';

const root = path.resolve(import.meta.dirname, '..');
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const args = process.argv.slice(2);

function run(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
ensureDebianPackages();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syntra-test-'));
fs.chmodSync(dir, 0o755);
let exitCode = 0;
const pg = await startEmbeddedPostgres(path.join(dir, 'postgres'), logger);
const redis = await startEmbeddedRedis(path.join(dir, 'redis'), { persist: false, logger });
try {
  // The template every test file clones its own database from (CREATE DATABASE … TEMPLATE is ~100 ms).
  const admin = createDb(pg.url.replace(/\/syntra$/, '/postgres'), { min: 0, max: 1 });
  await admin.raw('CREATE DATABASE syntra_template');
  await admin.destroy();
  const template = createDb(pg.url.replace(/\/syntra$/, '/syntra_template'), { min: 0, max: 1 });
  await migrateLatest(template);
  await template.destroy();

  const env = {
    ...process.env,
    SYNTRA_TEST_PG_URL: pg.url.replace(/\/syntra$/, '/postgres'),
    SYNTRA_TEST_REDIS_URL: redis.url,
    SYNTRA_TEST_TMP: dir,
  };
  // `npm test -- e2e` runs only the console's browser tests; other arguments are vitest file filters.
  const e2eOnly = args.length === 1 && args[0] === 'e2e';
  const onlyVitest = args.length > 0 && !e2eOnly;
  // Every stage runs even after an earlier one failed, so one (CI) run reports all problems at once.
  const stages: Array<() => Promise<number> | number> = [];
  if (!onlyVitest && !e2eOnly) stages.push(() => run(bin('tsc'), ['-b']), () => run(bin('eslint'), ['.', '--max-warnings=0']));
  // Tests that run `npm start` or several `syntra` processes use the compiled release: built once, here.
  if (!e2eOnly) stages.push(() => (ensureBuilt() ? 0 : 1), () => run(bin('vitest'), ['run', ...args], env));
  if (!onlyVitest) stages.push(() => runConsoleE2e(env));
  for (const stage of stages) exitCode = (await stage()) || exitCode;
} finally {
  await redis.stop();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
