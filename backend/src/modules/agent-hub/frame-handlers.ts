import type { Knex } from 'knex';
import type { AgentFrameType, AnyFrameOf, Build, Deploy, TelemetryItem } from '@syntra/shared';
import type { AgentSession } from './agent-session.js';

/** Handles one frame type from agents. Other modules register theirs (deploy_status, log_stream, …). */
export type AgentFrameHandler<T extends AgentFrameType = AgentFrameType> = (session: AgentSession, frame: AnyFrameOf<T>) => Promise<void> | void;

/** Stores telemetry items of one kind from a server; must be durable when it resolves (the batch is then acked). */
/** Stores one kind of a batch's items inside the batch's transaction (`trx`): all of a batch or none of it. */
export type TelemetrySink = (serverId: string, orgId: string, items: TelemetryItem[], trx: Knex.Transaction) => Promise<void>;

/** Deployments a reconnecting agent should (re)apply; filled by the deploy module. */
export type PendingDeploymentsProvider = (serverId: string) => Promise<Deploy[]>;

/** Builds a reconnecting agent was sent and has not answered, composed afresh (their deploy keys are never stored). */
export type PendingBuildsProvider = (serverId: string) => Promise<Build[]>;
