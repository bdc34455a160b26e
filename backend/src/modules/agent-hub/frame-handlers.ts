import type { Knex } from 'knex';
import type { AgentFrameType, AnyFrameOf, Build, Deploy, TelemetryItem } from '@syntra/shared';
import type { AgentSession } from './agent-session.js';

/** Handles one frame type from agents. Other modules provide theirs (deploy_status, log_stream, …). */
export type AgentFrameHandler<T extends AgentFrameType = AgentFrameType> = (session: AgentSession, frame: AnyFrameOf<T>) => Promise<void> | void;

/** Stores one kind of a batch's items inside the batch's transaction (`trx`): all of a batch or none of it. */
/**
 * Stores one kind of a batch's items, in the batch's PostgreSQL transaction. `batch.seq` is the
 * batch's id: a store outside PostgreSQL (ClickHouse) uses it to keep a resent batch once.
 */
export type TelemetrySink = (serverId: string, orgId: string, items: TelemetryItem[], trx: Knex.Transaction, batch: { seq: number }) => Promise<void>;

/** Deployments a reconnecting agent should (re)apply; provided by the deploy module. */
export type PendingDeploymentsProvider = (serverId: string) => Promise<Deploy[]>;

/** Builds a reconnecting agent was sent and has not answered, composed afresh (their deploy keys are never stored). */
export type PendingBuildsProvider = (serverId: string) => Promise<Build[]>;

export type AgentFrameHandlers = { [T in AgentFrameType]?: AgentFrameHandler<T> };

/**
 * What other modules give the hub: handlers for the frames they own, the telemetry kinds they store,
 * terminal bytes, and what a reconnecting agent must receive in `hello_ack`. The hello_ack providers
 * are required: a hub without them would silently tell agents they have nothing to run.
 */
export interface AgentHubPorts {
  frames: AgentFrameHandlers;
  telemetry: Partial<Record<TelemetryItem['kind'], TelemetrySink>>;
  binary: ((session: AgentSession, data: Buffer) => void) | null;
  pendingDeployments: PendingDeploymentsProvider;
  pendingBuilds: PendingBuildsProvider;
}

/** Each module contributes part of the ports; `combinePorts` puts them together (later parts win a frame type). */
export function combinePorts(...parts: Array<Partial<AgentHubPorts>>): AgentHubPorts {
  const merged: Partial<AgentHubPorts> = { frames: {}, telemetry: {}, binary: null };
  for (const p of parts) {
    Object.assign(merged.frames!, p.frames);
    Object.assign(merged.telemetry!, p.telemetry);
    if (p.binary) merged.binary = p.binary;
    if (p.pendingDeployments) merged.pendingDeployments = p.pendingDeployments;
    if (p.pendingBuilds) merged.pendingBuilds = p.pendingBuilds;
  }
  if (!merged.pendingDeployments || !merged.pendingBuilds) throw new Error('the agent hub needs the pending deployments and builds providers');
  return merged as AgentHubPorts;
}
