import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import type { AppServices } from './deps.js';
import { AuditService } from './modules/audit/index.js';
import { AuthService, LoginLimiter, OAuthService, RegisterLimiter, SignupPolicy, DeviceProofs, configuredProviders } from './modules/auth/index.js';
import { OrgService } from './modules/orgs/index.js';
import { TokenService } from './modules/tokens/index.js';
import { createLogger } from './logger.js';
import { AgentHub } from './modules/agent-hub/index.js';
import { PgServerMetricsStore } from './modules/server-metrics/index.js';
import { ServerService } from './modules/servers/index.js';
import { StreamHub, StreamPublisher } from './modules/stream/index.js';
import { SecretBox } from './lib/secret-box.js';
import { ArtifactStore } from './modules/artifacts/index.js';
import { DeployQueue, DeploymentService, linkDeployments, nullSink } from './modules/deployments/index.js';
import { ProjectService } from './modules/projects/index.js';
import { EnvService, ServiceService } from './modules/services/index.js';
import { DomainService, dnsTxtResolver } from './modules/domains/index.js';
import { GithubWebhookService } from './modules/webhooks/index.js';
import { HealthService, linkHealth } from './modules/health/index.js';
import { TerminalRelay, TerminalService, hubAgentLink } from './modules/terminal/index.js';

/** Wires the domain services together. Pure construction: no I/O happens here. */
export function buildServices(config: Config, db: Knex, redis: Redis): AppServices {
  const audit = new AuditService(db);
  const orgs = new OrgService(db, audit, config.publicUrl);
  // main.ts resolves the key (configured, or generated into the data dir) before building services.
  if (!config.secretKey) throw new Error('buildServices needs config.secretKey');
  const auth = new AuthService(db, orgs, audit, new LoginLimiter(redis, config.loginLimits), config.sessionTtlMs,
    new RegisterLimiter(redis, config.registerLimits), new SignupPolicy(config.signup), new DeviceProofs(config.secretKey));
  const oauth = new OAuthService(db, redis, configuredProviders(config), auth, orgs, config.publicUrl);
  const tokens = new TokenService(db, orgs, audit);
  const log = createLogger(config.logLevel);
  const serverMetrics = new PgServerMetricsStore(db);
  const streamPublisher = new StreamPublisher(redis);
  const stream = new StreamHub(redis, auth, orgs, log.child({ module: 'stream' }), config.publicUrl);
  const box = new SecretBox(config.secretKey);
  const agentHub = new AgentHub(db, redis, serverMetrics, streamPublisher, log.child({ module: 'agent-hub' }), {
    heartbeatSeconds: config.agentHeartbeatSeconds,
    telemetryBatchSeconds: config.agentTelemetrySeconds,
    telemetryBufferMaxMb: 100,
    helloTimeoutMs: 10_000,
  }, box);
  const servers = new ServerService(db, audit, orgs, agentHub, serverMetrics, config.publicUrl);
  // Deploy pipeline (issue 4), linked to the agent hub and the console stream.
  const projects = new ProjectService(db, audit, box, orgs, { allowPrivate: config.gitAllowPrivate, publicUrl: config.publicUrl });
  const domains = new DomainService(db, dnsTxtResolver(config.dnsServers), audit);
  const services = new ServiceService(db, projects, domains, audit);
  const env = new EnvService(db, box, audit);
  const artifacts = new ArtifactStore(db, config.dataDir);
  const deployments = new DeploymentService(db, services, env, box, artifacts, new DeployQueue(redis), nullSink, audit, config.publicUrl, { projects, baseImages: config.buildBaseImages });
  linkDeployments(deployments, agentHub, streamPublisher, db);
  const health = new HealthService(db, services);
  linkHealth(health, agentHub, streamPublisher);
  const githubWebhooks = new GithubWebhookService(db, config.githubWebhookSecret, deployments, projects, orgs);
  // Terminals (issue 6): records and audit here, the console ⇄ agent relay beside the agent hub.
  const terminals = new TerminalService(db, orgs, audit, config.dataDir, (c) => auth.credentialAlive(c.kind, c.id));
  const authenticateUser = async (token: string) => {
    const principal = await auth.authenticate(token);
    return principal ? { userId: principal.user.id, scopes: principal.scopes, tokenOrgId: principal.tokenOrgId, credential: { kind: principal.kind, id: principal.credentialId } } : null;
  };
  const terminalRelay = new TerminalRelay(terminals, hubAgentLink(agentHub), redis, authenticateUser, config.dataDir, log.child({ module: 'terminal' }));
  return { terminals, terminalRelay, audit, orgs, auth, oauth, tokens, projects, services, domains, env, artifacts, deployments, health, githubWebhooks, servers, agentHub, serverMetrics, stream, streamPublisher };
}
