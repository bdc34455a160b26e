import type { HandlerRegistry } from '../core/handlers.js';
import type { AgentLogger } from '../log.js';
import { BuildManager, type BuildSender } from './build-manager.js';
import { resolveBuildUser } from './build-user.js';
import { Builder } from './builder.js';
import { EngineImageBuilder } from './image-builder.js';

export { BuildManager, type BuildSender } from './build-manager.js';
export { Builder } from './builder.js';
export { resolveBuildUser, type BuildUser } from './build-user.js';

export interface BuildsOptions {
  token: string;
  dataDir: string;
  log: AgentLogger;
  /** Docker-compatible API socket: Dockerfile builds and generated-Dockerfile builds for the docker runtime. */
  dockerSocket: string | null;
  /** SYNTRA_BUILD_USER (when the agent runs as root). */
  buildUser: string | undefined;
}

/**
 * Plugs builds into the agent core: `build` is acknowledged with `command_response` once accepted
 * (the control plane stops redelivering it) and answered later by `build_result`; `build_cancel`
 * kills the build. Frames go through the context of the latest frame (the core's socket).
 */
export function setUpBuilds(handlers: HandlerRegistry, opts: BuildsOptions) {
  let send: Parameters<Parameters<HandlerRegistry['onFrame']>[1]>[1]['send'] | null = null;
  const sender: BuildSender = {
    buildLog: (p) => send?.('build_log', p),
    buildResult: (p) => send?.('build_result', p),
  };
  const user = resolveBuildUser(opts.buildUser);
  const builder = new Builder({ dataDir: opts.dataDir, user, images: opts.dockerSocket ? new EngineImageBuilder(opts.dockerSocket) : null });
  const manager = new BuildManager({ builder, token: opts.token, sender, log: opts.log });
  handlers.onFrame('build', (frame, ctx) => {
    send = ctx.send;
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { accepted: true } }, frame.id);
    manager.handle(frame.payload);
  });
  handlers.onFrame('build_cancel', (frame, ctx) => {
    send = ctx.send;
    const cancelled = manager.cancel(frame.payload.deployment_id);
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { cancelled } }, frame.id);
  });
  return { manager, user };
}
