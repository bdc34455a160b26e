import type { Knex } from 'knex';
import * as coreSchema from './20261125_0001_core_schema.js';
import * as serversAgent from './20261125_0300_servers_agent.js';
import * as deployPipeline from './20261125_0400_deploy_pipeline.js';
import * as projectDeployKey from './20261125_0401_project_deploy_key.js';
import * as serviceRuntime from './20261126_0402_service_runtime.js';
import * as terminalSessions from './20261125_0600_terminal_sessions.js';
import * as terminalTicketRotation from './20261126_0601_terminal_ticket_rotation.js';
import * as agentBuilds from './20261201_1000_agent_builds.js';
import * as domainClaims from './20261201_1300_domain_claims.js';
import * as terminalSessionCredential from './20261201_1301_terminal_session_credential.js';
import * as projectWebhookSecret from './20261201_1302_project_webhook_secret.js';
import * as apiTokenParent from './20261201_1303_api_token_parent.js';
import * as clientKeys from './20261202_1200_client_keys.js';
import * as errorTracking from './20261202_1300_error_tracking.js';
import * as errorEventsToClickHouse from './20261202_1310_error_events_to_clickhouse.js';
import * as alerts from './20261202_1700_alerts.js';
import * as ai from './20261202_1800_ai.js';
import * as serviceDockerfiles from './20261202_1801_service_dockerfiles.js';
import * as ingestQueueInline from './20261203_1000_ingest_queue_inline.js';
import * as alertEventCursor from './20261203_1200_alert_event_cursor.js';
import * as deployVerification from './20261203_1100_deploy_verification.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration in order. Listed here (not globbed) so they load the same under tsx, vitest and a bundle. */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261125_0001_core_schema', coreSchema],
  ['20261125_0300_servers_agent', serversAgent],
  ['20261125_0400_deploy_pipeline', deployPipeline],
  ['20261125_0401_project_deploy_key', projectDeployKey],
  ['20261125_0600_terminal_sessions', terminalSessions],
  ['20261126_0402_service_runtime', serviceRuntime],
  ['20261126_0601_terminal_ticket_rotation', terminalTicketRotation],
  ['20261201_1000_agent_builds', agentBuilds],
  ['20261201_1300_domain_claims', domainClaims],
  ['20261201_1301_terminal_session_credential', terminalSessionCredential],
  ['20261201_1302_project_webhook_secret', projectWebhookSecret],
  ['20261201_1303_api_token_parent', apiTokenParent],
  ['20261202_1200_client_keys', clientKeys],
  ['20261202_1300_error_tracking', errorTracking],
  ['20261202_1310_error_events_to_clickhouse', errorEventsToClickHouse],
  ['20261202_1700_alerts', alerts],
  ['20261202_1800_ai', ai],
  ['20261202_1801_service_dockerfiles', serviceDockerfiles],
  ['20261203_1000_ingest_queue_inline', ingestQueueInline],
  ['20261203_1200_alert_event_cursor', alertEventCursor],
  ['20261203_1100_deploy_verification', deployVerification],
];
