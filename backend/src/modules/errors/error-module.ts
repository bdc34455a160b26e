import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/index.js';
import type { StreamPublisher } from '../stream/index.js';
import { ErrorIngestService } from './error-ingest.service.js';
import { IssuesRepo } from './issues.repo.js';
import { IssueService } from './issues.service.js';
import type { DeploymentLookup, MemberCheck } from './ports.js';
import { RetentionRepo } from './retention.repo.js';
import { ErrorRetentionService } from './retention.service.js';
import type { ClickHouse } from '../../db/clickhouse/index.js';
import type { TelemetryWriter } from '../telemetry/index.js';
import { ClickHouseErrorEventStore } from './store/clickhouse-event-store.js';

export interface ErrorModuleDeps {
  db: Knex;
  deployments: DeploymentLookup;
  members: MemberCheck;
  audit: AuditService;
  stream: Pick<StreamPublisher, 'publish' | 'event'>;
  logger: Logger;
  /** Events are stored in ClickHouse's error_events (issue 13), through the process's telemetry writer. */
  clickhouse: ClickHouse;
  writer: TelemetryWriter;
  retentionDays?: number;
}

export interface ErrorModule {
  ingest: ErrorIngestService;
  issues: IssueService;
  retention: ErrorRetentionService;
}

/** The error module's services over one repo and one event store. */
export function buildErrorModule(deps: ErrorModuleDeps): ErrorModule {
  const issues = new IssuesRepo(deps.db);
  const retention = new ErrorRetentionService(new RetentionRepo(deps.db), issues, deps.stream, deps.logger, deps.audit, deps.retentionDays);
  const retentionDays = (orgId: string) => retention.retentionDays(orgId);
  const store = new ClickHouseErrorEventStore(deps.clickhouse, deps.writer, retentionDays);
  return {
    ingest: new ErrorIngestService({ db: deps.db, issues, store, retentionDays, deployments: deps.deployments, stream: deps.stream, logger: deps.logger }),
    issues: new IssueService({ db: deps.db, issues, store, deployments: deps.deployments, members: deps.members, audit: deps.audit, stream: deps.stream, logger: deps.logger }),
    retention,
  };
}
