import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './agent-env.js';
import { clickhouseEnvFor } from './clickhouse-http-stand-in.js';

const root = path.resolve(import.meta.dirname, '../..', '..');
/** The compiled release (`npm test` builds it before vitest runs). */
export const SYNTRA_BIN = path.join(root, 'dist', 'syntra', 'syntra.mjs');

export interface SyntraProcess {
  role: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait (a graceful stop); `kill('SIGKILL')` on `child` for a crash. */
  stop(): Promise<void>;
  exited: Promise<void>;
}

/** A compiled `syntra <role>` process run with plain node, as a release runs it. */
export async function startSyntraProcess(role: 'start' | 'api' | 'worker' | 'ingest', env: Record<string, string>, ready: (out: string) => boolean | Promise<boolean>): Promise<SyntraProcess> {
  // Separate processes share telemetry through a ClickHouse server: the stand-in unless the test
  // names one (`start` embeds its own engine).
  const clickhouse = role === 'start' || env.CLICKHOUSE_URL || !env.DATABASE_URL ? {} : await clickhouseEnvFor(env.DATABASE_URL);
  const child = spawn(process.execPath, [SYNTRA_BIN, role], { env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...clickhouse, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`syntra ${role}`, async () => {
    if (child.exitCode !== null) throw new Error(`syntra ${role} exited with ${child.exitCode}:\n${out}`);
    return ready(out);
  }, 60_000);
  return {
    role,
    child,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
