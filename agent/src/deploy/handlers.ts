import type { AgentContext, HandlerRegistry } from '../core/handlers.js';
import type { DeployManager } from './deploy-manager.js';

/**
 * Plugs deploys into the agent core: `deploy` and `stop` frames go to the deploy manager. A deploy
 * is acknowledged with `command_response` once accepted (so the control plane stops redelivering
 * the frame); its progress follows as `deploy_status`.
 */
export function registerDeployHandlers(registry: HandlerRegistry, manager: DeployManager, bind: (ctx: AgentContext) => void = () => undefined) {
  registry.onFrame('deploy', (frame, ctx) => {
    bind(ctx);
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { accepted: true } }, frame.id);
    void manager.handleDeploy(frame.payload).catch((err: unknown) => ctx.log.error('deploy failed', { err: String(err) }));
  });
  registry.onFrame('stop', async (frame, ctx) => {
    bind(ctx);
    await manager.handleStop(frame.payload);
    ctx.send('command_response', { request_id: frame.payload.request_id, ok: true, data: { stopped: true } }, frame.id);
  });
}
