import os from 'node:os';
import { hostFacts } from '../host/facts.js';
import type { CommandHandler } from '../core/handlers.js';

/** `host.info`: the facts of the hello plus uptime and the runtime's view. */
export const hostInfo: CommandHandler = async (_args, ctx) => ({
  ...hostFacts(),
  uptime_seconds: Math.round(os.uptime()),
  runtime: { kind: ctx.runtime.kind, version: await ctx.runtime.version() },
  agent_pid: process.pid,
});
