import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import type { ClickHouse } from './db/clickhouse/index.js';
import type { ServiceNameLookup } from './modules/telemetry/index.js';
import type { TransactionProcessor } from './modules/ingest/ports.js';
import type { TelemetryRetention, TelemetryWriter } from './modules/telemetry/index.js';
import type { Logger } from './logger.js';
import type { SelfReporter } from './self-report.js';
import type { AuditService } from './modules/audit/index.js';
import type { AuthService, OAuthService } from './modules/auth/index.js';
import type { OrgService } from './modules/orgs/index.js';
import type { TokenService } from './modules/tokens/index.js';
import type { AgentHub } from './modules/agent-hub/index.js';
import type { ServerMetricsStore } from './modules/server-metrics/index.js';
import type { ServerService } from './modules/servers/index.js';
import type { StreamHub, StreamPublisher } from './modules/stream/index.js';
import type { ArtifactStore } from './modules/artifacts/index.js';
import type { DeploymentService, ServiceRestarter } from './modules/deployments/index.js';
import type { HealthService } from './modules/health/index.js';
import type { ProjectService } from './modules/projects/index.js';
import type { EnvService, ServiceService } from './modules/services/index.js';
import type { DomainService } from './modules/domains/index.js';
import type { GithubWebhookService } from './modules/webhooks/index.js';
import type { TerminalRelay, TerminalService } from './modules/terminal/index.js';
import type { AiModule } from './modules/ai/index.js';
import type { ClientKeyService } from './modules/client-keys/index.js';
import type { Intake, IntakeCounters } from './modules/ingest/index.js';
import type { NotificationService } from './modules/notifications/index.js';
import type { AlertDataPorts, AlertService, TimelineService } from './modules/alerts/index.js';
import type { VerificationService } from './modules/verification/index.js';
import type { ErrorIngestService, ErrorRetentionService, IssueService } from './modules/errors/index.js';
import type { TelemetryQueryService } from './modules/telemetry/index.js';

export interface AppServices {
  audit: AuditService;
  orgs: OrgService;
  auth: AuthService;
  oauth: OAuthService;
  tokens: TokenService;
  servers: ServerService;
  agentHub: AgentHub;
  serverMetrics: ServerMetricsStore;
  stream: StreamHub;
  streamPublisher: StreamPublisher;
  projects: ProjectService;
  services: ServiceService;
  env: EnvService;
  domains: DomainService;
  artifacts: ArtifactStore;
  deployments: DeploymentService;
  restarts: ServiceRestarter;
  health: HealthService;
  githubWebhooks: GithubWebhookService;
  terminals: TerminalService;
  terminalRelay: TerminalRelay;
  ai: AiModule;
  clientKeys: ClientKeyService;
  intakeCounters: IntakeCounters;
  intake: Intake;
  notifications: NotificationService;
  alerts: AlertService;
  /** What alert evaluation reads from other modules (the workers' evaluator and listener). */
  alertData: AlertDataPorts;
  timeline: TimelineService;
  /** Post-deploy verification (issue 14): scheduled by the deploy pipeline, checked in workers. */
  verification: VerificationService;
  /** Error tracking (issue 12): the intake's ErrorEventProcessor, the issues API, retention. */
  errorIngest: ErrorIngestService;
  issues: IssueService;
  errorRetention: ErrorRetentionService;
  /** Every telemetry row goes to ClickHouse through it (batched, acknowledged after the write). */
  telemetryWriter: TelemetryWriter;
  /** A service's name by id, for the ServiceName column of what its client key sends. */
  serviceNames: ServiceNameLookup;
  /** Sentry `transaction` items → spans in otel_traces (called by the intake's workers). */
  transactions: TransactionProcessor;
  /** The days an org's telemetry rows are kept (set on each row at insert: RetentionDays). */
  telemetryRetention: TelemetryRetention;
  telemetryQuery: TelemetryQueryService;
}

/** Everything a request handler may use. Built once by the composition root (main.ts) or a test. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  redis: Redis;
  /** Telemetry's store (embedded engine or CLICKHOUSE_URL). */
  clickhouse: ClickHouse;
  services: AppServices;
  /** Syntra's own unexpected errors go here when a DSN is set (SYNTRA_SELF_DSN, or `syntra start`'s built-in project). */
  selfReport?: SelfReporter;
}
