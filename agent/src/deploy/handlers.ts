import { z } from 'zod';
import { type AgentContext, CommandError, type HandlerRegistry } from '../core/handlers.js';
import { type DeployManager, RestartError } from './deploy-manager.js';

const RestartArgsSchema = z.object({ service_id: z.uuid() });

/**
 * Plugs deploys into the agent core: `deploy` and `stop` frames and the `service.restart` command go to the deploy manager. A deploy
 * is acknowledged with `command_response` once accepted (so the control plane stops redelivering
 * the frame); its progress follows as `deploy_status`.
 */
export function registerDeployHandlers(registry: HandlerRegistry, manager: DeployManager, bind: (ctx: AgentContext) => void = () => undefined) {
  registry.onFrame('deploy', (frame, ctx) => {
    bind(ctx);
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { accepted: true } }, frame.id);
    void manager.handleDeploy(frame.payload).catch((err: unknown) => ctx.log.error('deploy failed', { err: String(err) }));
  });
  // `service.restart` answers once the fresh instances serve (or why not): the command's outcome is the restart's.
  registry.onCommand('service.restart', async (raw, ctx) => {
    bind(ctx);
    const args = RestartArgsSchema.safeParse(raw);
    if (!args.success) throw new CommandError('invalid_args', 'service_id: a service id');
    try {
      return { restarted: true, ...(await manager.restart(args.data.service_id)) };
    } catch (err) {
      if (err instanceof RestartError) throw new CommandError(err.code, err.message);
      throw err;
    }
  });
  registry.onFrame('stop', async (frame, ctx) => {
    bind(ctx);
    await manager.handleStop(frame.payload);
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { stopped: true } }, frame.id);
  });
}
