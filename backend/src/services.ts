import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import type { ClickHouse } from './db/clickhouse/index.js';
import type { AppServices } from './deps.js';
import { AuditService } from './modules/audit/index.js';
import { AuthService, LoginLimiter, OAuthService, RegisterLimiter, SignupPolicy, DeviceProofs, configuredProviders } from './modules/auth/index.js';
import { OrgService } from './modules/orgs/index.js';
import { TokenService } from './modules/tokens/index.js';
import type { Logger } from './logger.js';
import { AgentHub, type AgentHubPorts, combinePorts, HOST_METRICS_RETENTION_DAYS } from './modules/agent-hub/index.js';
import { ChServerMetricsStore } from './modules/server-metrics/index.js';
import { ServerPresence, ServerService } from './modules/servers/index.js';
import { StreamHub, StreamPublisher } from './modules/stream/index.js';
import { SecretBox } from './lib/secret-box.js';
import { ArtifactStore } from './modules/artifacts/index.js';
import { type AgentGateway, DeployQueue, DeploymentService, deploymentHubPorts, hubGateway, ServiceRestarter, streamSink } from './modules/deployments/index.js';
import { ProjectService } from './modules/projects/index.js';
import { EnvService, ServiceService } from './modules/services/index.js';
import { DomainService, dnsTxtResolver } from './modules/domains/index.js';
import { GithubWebhookService } from './modules/webhooks/index.js';
import { HealthService, healthHubPorts } from './modules/health/index.js';
import { TerminalRelay, TerminalService, hubAgentLink } from './modules/terminal/index.js';
import { AiModule, copilotPorts } from './modules/ai/index.js';
import { ClientKeyService } from './modules/client-keys/index.js';
import { type ErrorEventProcessor, Intake, IntakeCounters, type SpanProcessor, type TransactionProcessor } from './modules/ingest/index.js';
import { DeploymentIndex } from './modules/deployments/index.js';
import { buildErrorModule } from './modules/errors/index.js';
import { AgentLogIntake, BatchedTelemetryWriter, ServiceLogReader, TelemetryRetention, agentLogHubPorts } from './modules/telemetry/index.js';
import { LogTail, TelemetryQueryService, tailingWriter } from './modules/telemetry/index.js';
import { type RetentionLookup, SentrySpanProcessor, SentryTransactionProcessor, type ServiceNameLookup } from './modules/telemetry/index.js';
import { NotificationService, NotifyQueue } from './modules/notifications/index.js';
import { buildAlerting, type Clock, systemClock } from './modules/alerts/index.js';
import { buildVerification } from './modules/verification/index.js';

/** What tests may put in place of a real part (given at construction like everything else). */
export interface ServiceOverrides {
  /** Stands in for the agent hub on the deploy pipeline's side (a recording gateway). */
  agentGateway?: AgentGateway;
  /** Extra hub ports, applied after the modules' own (a telemetry sink that fails, say). */
  hubPorts?: Partial<AgentHubPorts>;
  /** The intake's consumers hand events to this (tests: a recording processor). */
  errorEventProcessor?: ErrorEventProcessor;
  /** The intake's consumers hand transactions to this; without one they are counted, not kept. */
  transactionProcessor?: TransactionProcessor;
  /** Alerting's clock (for_seconds, cooldowns, leases): a test's hand-turned one. */
  alertClock?: Clock;
  /** Likewise for span v2 items (what @sentry/node 11 sends by default). */
  spanProcessor?: SpanProcessor;
}

/**
 * Wires the domain services together. Pure construction: no I/O happens here. `logger` is the
 * process's root logger (main.ts, the test env); modules get children of it.
 */
export function buildServices(config: Config, db: Knex, redis: Redis, clickhouse: ClickHouse, log: Logger, overrides: ServiceOverrides = {}): AppServices {
  const audit = new AuditService(db);
  const orgs = new OrgService(db, audit, config.publicUrl);
  // main.ts resolves the key (configured, or generated into the data dir) before building services.
  if (!config.secretKey) throw new Error('buildServices needs config.secretKey');
  const auth = new AuthService(db, orgs, audit, new LoginLimiter(redis, config.loginLimits), config.sessionTtlMs,
    new RegisterLimiter(redis, config.registerLimits), new SignupPolicy(config.signup), new DeviceProofs(config.secretKey));
  const oauth = new OAuthService(db, redis, configuredProviders(config), auth, orgs, config.publicUrl);
  const tokens = new TokenService(db, orgs, audit);
  // Telemetry (issue 13): one writer per process in front of ClickHouse.
  const storeWriter = new BatchedTelemetryWriter(clickhouse, log.child({ module: 'telemetry-writer' }), {
    maxBatchRows: config.telemetry.batchRows,
    maxDelayMs: config.telemetry.flushMs,
    maxQueuedBytes: config.telemetry.queueBytes,
  });
  // Live tail (issue 13): every log row once stored (OTLP, agents) also goes to consoles as a
  // `logs.tail` stream event, rate-capped per service. Publishing happens after construction.
  const logTail = new LogTail((events) => streamPublisher.publish(events), undefined, (err) => log.warn({ err }, 'live tail publish failed'));
  const telemetryWriter = tailingWriter(storeWriter, logTail);
  // Services are looked up lazily (the services module is built below).
  // Each telemetry row carries its org's retention (days) for ClickHouse's TTL.
  const telemetryRetention = new TelemetryRetention((orgId) => orgs.telemetryRetentionDays(orgId), config.telemetry.retentionDays);
  const serverMetrics = new ChServerMetricsStore(clickhouse, telemetryWriter, HOST_METRICS_RETENTION_DAYS, (id) => services.contextById(id));
  const streamPublisher = new StreamPublisher(redis);
  const stream = new StreamHub(redis, auth, orgs, log.child({ module: 'stream' }), config.publicUrl);
  const box = new SecretBox(config.secretKey);
  // hub ⇄ modules is a cycle (they send through the hub, it hands them agents' frames): the hub gets
  // its ports (built last, below) as a function it calls when the first agent or frame arrives.
  const agentHub = new AgentHub({
    db,
    redis,
    metrics: serverMetrics,
    stream: streamPublisher,
    logger: log.child({ module: 'agent-hub' }),
    options: { heartbeatSeconds: config.agentHeartbeatSeconds, telemetryBatchSeconds: config.agentTelemetrySeconds, telemetryBufferMaxMb: 100, helloTimeoutMs: 10_000 },
    box,
    presence: new ServerPresence(db, streamPublisher),
    ports: () => hubPorts,
  });
  const servers = new ServerService(db, audit, orgs, agentHub, serverMetrics, config.publicUrl);
  const projects = new ProjectService(db, audit, box, orgs, { allowPrivate: config.gitAllowPrivate, publicUrl: config.publicUrl });
  // domains ⇄ services: services ask domains before taking a name; a claim taken over takes the name
  // off the losing services. Domains get the services' side as a port, called only after both exist.
  const domains: DomainService = new DomainService(db, dnsTxtResolver(config.dnsServers), audit, {
    usage: (orgId, hostnames, trx) => services.hostnameHolders.usage(orgId, hostnames, trx),
    release: (trx, serviceId, hostname) => services.hostnameHolders.release(trx, serviceId, hostname),
  });
  // services ⇄ client keys: a new service gets its DSN in its create transaction; keys ask services where a service lives.
  const services: ServiceService = new ServiceService(db, projects, domains, servers, audit, { created: (trx, serviceId) => clientKeys.createForNewService(trx, serviceId) });
  const clientKeys: ClientKeyService = new ClientKeyService(
    db,
    {
      locate: async (serviceId) => {
        const s = await services.contextById(serviceId);
        return s ? { orgId: s.org_id, projectId: s.project_id } : undefined;
      },
      assertInOrg: async (orgId, serviceId) => void (await services.context(orgId, serviceId)),
    },
    audit,
    config.publicUrl,
  );
  const intakeCounters = new IntakeCounters(redis);
  // Error tracking (issue 12): grouping and storage, called by the intake's queue consumers.
  const errors = buildErrorModule({
    db,
    deployments: new DeploymentIndex(db),
    members: { isMember: async (orgId, userId) => (await orgs.roleOf(orgId, userId)) !== null },
    audit,
    stream: streamPublisher,
    logger: log.child({ module: 'errors' }),
    // Events in ClickHouse (issue 13); issues and their counters stay in PostgreSQL.
    clickhouse,
    writer: telemetryWriter,
  });
  // OTLP intake and Sentry transactions (issue 13): the key's service name fills ServiceName (the
  // OTLP router itself is built with the intake app: intake-routers.ts).
  const serviceNames: ServiceNameLookup = async (serviceId) => (await services.contextById(serviceId))?.name ?? null;
  // Each organisation's retention (its settings, else SYNTRA_TELEMETRY_RETENTION_DAYS) on every row.
  const retentionDays: RetentionLookup = (orgId) => telemetryRetention.days(orgId);
  // Sentry `transaction` items → spans, called by the intake's queue consumers.
  const transactions = new SentryTransactionProcessor(telemetryWriter, serviceNames, log.child({ module: 'sentry-transactions' }), retentionDays);
  // Sentry span v2 items (streamed spans) → spans, likewise.
  const sentrySpans = new SentrySpanProcessor(telemetryWriter, serviceNames, log.child({ module: 'sentry-spans' }), retentionDays);
  // The Sentry intake (issue 12): events to the error module; transactions to the tracing store.
  const intake = new Intake({
    db,
    redis,
    keys: clientKeys,
    counters: intakeCounters,
    logger: log.child({ module: 'ingest' }),
    limits: { maxEventBytes: 1 << 20, maxEnvelopeBytes: 20 << 20, maxAttachmentBytes: config.ingest.attachmentMaxBytes, maxLagSeconds: config.ingest.maxLagSeconds },
    rates: { perKeyPerMinute: config.ingest.keyRatePerMinute, perOrgPerMinute: config.ingest.orgRatePerMinute },
    errors: overrides.errorEventProcessor ?? errors.ingest,
    transactions: overrides.transactionProcessor ?? transactions,
    spans: overrides.spanProcessor ?? sentrySpans,
  });
  const env = new EnvService(db, box, audit);
  const artifacts = new ArtifactStore(db, config.dataDir);
  // The one way to agents for the pipeline and the AI's repository reads (tests may record it instead).
  const agentGateway = overrides.agentGateway ?? hubGateway(agentHub, servers);
  // Deploy pipeline (issue 4): to agents through the hub, to consoles through the stream.
  const deployments = new DeploymentService({
    db,
    services,
    env,
    box,
    artifacts,
    queue: new DeployQueue(redis),
    agents: agentGateway,
    events: streamSink(streamPublisher),
    audit,
    publicUrl: config.publicUrl,
    // The AI module is built below; a build asks it for the service's saved Dockerfile only at run time.
    build: { projects, baseImages: config.buildBaseImages, savedDockerfile: (serviceId: string) => ai.dockerfiles.saved(serviceId) },
    runtimeLogs: new ServiceLogReader(clickhouse),
    // Post-deploy verification (built below, after alerting) starts watching a deployment that went live.
    onLive: (d) => verification.deploymentLive(d),
  });
  // Restarts (the service page's button, an approved co-pilot proposal): an agent command per server.
  const restarts = new ServiceRestarter({
    service: (orgId, id) => services.get(orgId, id),
    deploymentStatus: (id) => deployments.findById(id),
    isOnline: (serverId) => agentGateway.isConnected(serverId),
    command: (orgId, serverId, actor, input) => servers.command(orgId, serverId, actor, input),
  }, audit);
  // Deployed services' stdout/stderr from agents' telemetry batches into otel_logs.
  const agentLogs = new AgentLogIntake({ writer: telemetryWriter, service: (id) => services.contextById(id), retentionDays: (orgId) => telemetryRetention.days(orgId) });
  const health = new HealthService(db, services);
  const githubWebhooks = new GithubWebhookService(db, config.githubWebhookSecret, deployments, projects, orgs, services);
  // Terminals (issue 6): records and audit here, the console ⇄ agent relay beside the agent hub.
  const terminals = new TerminalService({ db, orgs, servers, services, audit, dataDir: config.dataDir, credentialAlive: (c) => auth.credentialAlive(c.kind, c.id) });
  const authenticateUser = async (token: string) => {
    const principal = await auth.authenticate(token);
    return principal ? { userId: principal.user.id, scopes: principal.scopes, tokenOrgId: principal.tokenOrgId, credential: { kind: principal.kind, id: principal.credentialId } } : null;
  };
  const terminalRelay = new TerminalRelay(terminals, hubAgentLink(agentHub), redis, authenticateUser, config.dataDir, log.child({ module: 'terminal' }));
  // Query API of logs, traces and metrics (issue 13): reads ClickHouse, asks services and deployments.
  const telemetryQuery = new TelemetryQueryService({
    clickhouse: clickhouse.client,
    serviceInOrg: (orgId, serviceId) => services.context(orgId, serviceId),
    deployMarkers: (orgId, serviceId, from, to) => deployments.markers(orgId, serviceId, from, to),
  });
  const hubPorts = combinePorts(deploymentHubPorts(deployments), healthHubPorts(health, streamPublisher), terminalRelay.hubPorts(), agentLogHubPorts(agentLogs), overrides.hubPorts ?? {});
  // Alerts (issue 14): channels and deliveries, rules/events/silences, the incident timeline.
  const notifications = new NotificationService(db, box, orgs, audit, new NotifyQueue(redis, config.alerts.notifyBackoffMs), {
    allowPrivate: config.alerts.webhookAllowPrivate,
    smtpUrl: config.alerts.smtpUrl,
    smtpFrom: config.alerts.smtpFrom,
    pagerDutyEventsUrl: config.alerts.pagerDutyEventsUrl,
    publicUrl: config.publicUrl,
  });
  const { alerts, alertData, timeline, deployRegressed } = buildAlerting({
    db, notifications, stream: streamPublisher, clock: overrides.alertClock ?? systemClock, publicUrl: config.publicUrl, log, audit,
    servers, services, projects, health, errors, telemetryQuery, deployments, serverMetrics,
  });
  const verification = buildVerification({
    redis, log, checkSeconds: config.alerts.verifyCheckSeconds, deployments, services, errors, spanStats: alertData.telemetry.spanStats, deployRegressed,
  });
  // AI (issue 15): the co-pilot reads and acts through the same services as the console's routes.
  const ai: AiModule = new AiModule({
    db,
    redis,
    config: config.ai,
    audit,
    ports: copilotPorts({ servers, projects, services, env, deployments, issues: errors.issues, restarts, alerts, telemetry: telemetryQuery, timeline }),
    repo: {
      serverOf: async (orgId, serviceId) => (await services.context(orgId, serviceId)).server_id,
      siblings: async (orgId, serviceId) => {
        const s = await services.context(orgId, serviceId);
        return (await services.list(orgId, s.project_id)).filter((o) => o.id !== serviceId && o.server_id === s.server_id).map((o) => o.id);
      },
      isOnline: (serverId) => agentGateway.isConnected(serverId),
      command: (orgId, serverId, actor, input) => servers.command(orgId, serverId, actor, input),
    },
    analysis: {
      issue: (orgId, issueId) => errors.issues.get(orgId, issueId),
      event: (orgId, issueId, which) => errors.issues.event(orgId, issueId, which).catch(() => null),
      similar: async (orgId, q) => (await errors.issues.listForOrg(orgId, { q: q.slice(0, 200), sort: 'events', limit: 6 })).items,
      busiest: async (orgId) => (await errors.issues.listForOrg(orgId, { sort: 'events', limit: 20 })).items,
      record: (orgId, issueId, analysis) => errors.issues.recordAnalysis(orgId, issueId, analysis),
      deployments: async (orgId, serviceId) => (await deployments.list(orgId, serviceId, { limit: 50 })).items,
      commits: async (orgId, fromId, toId) => (await deployments.diff(orgId, fromId, toId)).commits,
      logs: (orgId, serviceId, since, until) => deployments.runtimeLogs(orgId, serviceId, { since, until, tail: 200 }),
      envValues: (serviceId) => env.read(serviceId),
    },
    services,
    log: log.child({ module: 'ai' }),
  });
  return { ai, restarts, notifications, alerts, alertData, timeline, verification, clientKeys, intakeCounters, intake, errorIngest: errors.ingest, issues: errors.issues, errorRetention: errors.retention, terminals, terminalRelay, audit, orgs, auth, oauth, tokens, projects, services, domains, env, artifacts, deployments, health, githubWebhooks, servers, agentHub, serverMetrics, stream, streamPublisher, telemetryWriter, telemetryRetention, telemetryQuery, serviceNames, transactions };
}
