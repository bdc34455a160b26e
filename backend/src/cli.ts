import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SignupMode } from '@syntra/shared';
import { ConfigError } from './config.js';
import { type Role, runSyntra } from './main.js';
import { createDb } from './db/knex.js';
import { LAYOUT } from './install-layout.js';
import { accountsExist } from './modules/auth/index.js';
import { installProcessGuards } from './process-guards.js';
import { intakeThreadData, serveIntakeThread } from './intake-thread.js';

const USAGE = `Usage: syntra <command>

Commands:
  start     everything in one process, with embedded PostgreSQL and Redis where none are configured
  api       HTTP API, agent hub and console stream (needs DATABASE_URL and REDIS_URL)
  worker    queue workers: builds, deploys, alerts, the intake's queue (needs DATABASE_URL and REDIS_URL)
  ingest    the error intake (Sentry envelopes, OTLP) on INGEST_PORT, default 8081 (needs DATABASE_URL and REDIS_URL)
  migrate   apply database migrations and exit

Configuration is read from the environment: see README.md.`;

/** How to deploy one of the bundled examples on this machine in about a minute. */
function deployHint(): string {
  const example = path.join(LAYOUT.examplesDir, 'node-hello');
  return `
  Deploy an example in a minute (this machine is already a server, its agent runs beside Syntra):
    cp -r ${example} /tmp/node-hello && cd /tmp/node-hello && git init -q -b main && git add -A && git commit -qm init
    then in the console: Projects → New (git URL file:///tmp/node-hello) → Add service (server: this machine,
    port 8090, health check /health) → Deploy, and open http://localhost:8090 — or follow examples/README.md.
`;
}

/** How others get an account after the first, in the words of the configured SYNTRA_SIGNUP mode. */
function signupHint(mode: SignupMode): string {
  if (mode === 'open') return 'Sign-up is open (SYNTRA_SIGNUP=open): anyone who reaches this address can register.';
  if (mode === 'closed') return 'Sign-up is closed after this account (SYNTRA_SIGNUP=closed): nobody else can create one (invites still reach existing accounts).';
  return 'Everyone after you needs an invite (SYNTRA_SIGNUP=invite): Organisation → Members → Invite gives a link that registers them into your organisation.';
}

async function firstRunHint(databaseUrl: string, url: string, mode: SignupMode): Promise<string> {
  const db = createDb(databaseUrl, { min: 0, max: 1 });
  try {
    if (await accountsExist(db)) return '';
    return `\n  First start: open ${url} and create the first account — it becomes the installation admin — or:\n    curl -X POST ${url}/api/v1/auth/register -H 'content-type: application/json' \\\n      -d '{"email":"you@example.com","password":"a-long-unguessable-passphrase","name":"You"}'\n  ${signupHint(mode)}\n${deployHint()}`;
  } finally {
    await db.destroy();
  }
}

async function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (!['start', 'api', 'worker', 'ingest', 'migrate'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  // This very module runs `syntra start`'s intake processing thread (see the end of the file).
  const running = await runSyntra(command as Role, process.env, { threadEntry: new URL(import.meta.url) });
  if (command === 'migrate') return;
  installProcessGuards(running.logger.child({ module: 'process' }), () => running.stop());
  if (running.url && command === 'ingest') console.log(`\n  Syntra intake is listening: ${running.url} (Sentry DSNs and OTLP point here)\n`);
  else if (running.url) {
    const hint = await firstRunHint(running.config.databaseUrl!, running.url, running.config.signup);
    console.log(`\n  Syntra is running: ${running.url}\n${hint}\n  Press Ctrl-C to stop.\n`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C under npm reaches us twice (the terminal's process group, and npm forwarding it): once is enough.
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: shutting down…`);
    // Stopping flushes queued telemetry, lets running jobs finish their step and closes the embedded
    // engines; on a saturated machine that took over 20 s once. Past 45 s something hangs: give up.
    const force = setTimeout(() => {
      console.error('  shutdown did not finish within 45 s: exiting anyway');
      process.exit(1);
    }, 45_000);
    force.unref();
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const thread = intakeThreadData();
if (thread) {
  serveIntakeThread(thread, (env) => runSyntra('processing', env)).catch((err: unknown) => {
    console.error(`syntra intake processing thread: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`syntra: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
