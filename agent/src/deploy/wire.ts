import type { TelemetryItem } from '@syntra/shared';
import type { HandlerRegistry } from '../core/handlers.js';
import { EdgeProxy } from '../edge/index.js';
import type { AgentLogger } from '../log.js';
import { DockerInstanceRuntime } from '../runtime/docker-runtime.js';
import { ProcessInstanceRuntime } from '../runtime/process-supervisor.js';
import type { Runtime } from '../runtime/runtime.js';
import { DeployManager, type DeploySender } from './deploy-manager.js';
import { registerDeployHandlers } from './handlers.js';

export interface DeploysOptions {
  url: string;
  token: string;
  dataDir: string;
  log: AgentLogger;
  /** Port of the edge's domain-routed HTTP listener; null turns it off (per-service ports still work). */
  edgeHttpPort: number | null;
  /** A Docker-compatible API socket (Docker, podman) for image artifacts; null: tarballs only. */
  dockerSocket: string | null;
}

/**
 * Everything deploys need on an agent: the edge proxy, the process runtime, the deploy manager,
 * and the `deploy`/`stop` handlers. Frames to the control plane go through the context of the
 * latest frame (the core's socket); while disconnected they are dropped and reconciled on
 * reconnect (hello_ack redelivers unanswered deployments, which are answered from what ran).
 */
export async function setUpDeploys(handlers: HandlerRegistry, opts: DeploysOptions) {
  const edge = new EdgeProxy();
  if (opts.edgeHttpPort !== null) {
    try {
      const port = await edge.listenHttp(opts.edgeHttpPort);
      opts.log.info('edge listening', { port });
    } catch (err) {
      opts.log.warn('edge: domain listener not started (per-service ports still work)', { port: opts.edgeHttpPort, error: String(err) });
    }
  }
  let send: Parameters<Parameters<HandlerRegistry['onFrame']>[1]>[1]['send'] | null = null;
  // Health results travel as telemetry (durable on disk until acked). The agent core exists only after
  // this set-up (restored deploys probe before it), so early results wait here, bounded.
  let record: ((items: TelemetryItem[]) => void) | null = null;
  const early: TelemetryItem[] = [];
  const sender: DeploySender = {
    deployStatus: (p) => send?.('deploy_status', p),
    // Instance output travels twice: live as `log_stream` (the deploy log of a rollout, dropped while
    // disconnected) and durably as telemetry `log` items (on disk until acked: the service's logs).
    logStream: (p) => {
      send?.('log_stream', p);
      const items: TelemetryItem[] = p.lines.map((l) => ({ kind: 'log', ts: l.ts, service_id: p.service_id, deployment_id: p.deployment_id, stream: l.stream, line: l.line }));
      if (record) record(items);
      else if (early.length < 10_000) early.push(...items.slice(0, 10_000 - early.length));
    },
    healthResult: (serviceId, r, at) => {
      const item: TelemetryItem = { kind: 'health_check', ts: at.toISOString(), service_id: serviceId, healthy: r.healthy, status_code: r.statusCode, response_ms: r.responseMs, error: r.error?.slice(0, 2000) ?? null };
      if (record) record([item]);
      else if (early.length < 1000) early.push(item);
    },
  };
  const imageRuntime = opts.dockerSocket ? new DockerInstanceRuntime(opts.dockerSocket) : null;
  const manager = new DeployManager({ baseUrl: opts.url, token: opts.token, dataDir: opts.dataDir, runtime: new ProcessInstanceRuntime(), imageRuntime, edge, sender });
  registerDeployHandlers(handlers, manager, (ctx) => (send = ctx.send));
  await manager.restore();
  return {
    manager,
    edge,
    /** Where health-check results go: the agent core's telemetry (`agent.record`). */
    recordTelemetryWith(sink: (items: TelemetryItem[]) => void) {
      record = sink;
      if (early.length) sink(early.splice(0));
    },
    /** Heartbeats report the services the deploy manager runs. */
    runtimeWith(base: Runtime): Runtime {
      return {
        kind: base.kind,
        version: () => base.version(),
        capabilities: () => [...base.capabilities(), 'deploy.tarball', 'edge.http', 'build', ...(imageRuntime ? ['deploy.image', 'build.image'] : [])],
        services: async () => [...(await base.services()), ...manager.services()],
        close: async () => {
          await manager.close();
          await edge.close();
          await base.close();
        },
      };
    },
  };
}
