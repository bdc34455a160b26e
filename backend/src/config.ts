import path from 'node:path';
import { type SignupMode, SignupModeSchema } from '@syntra/shared';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = optionalString.pipe(z.url().optional());

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalUrl,
  SYNTRA_DATA_DIR: z.string().default('./.syntra'),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  CLICKHOUSE_URL: optionalUrl,
  // The database Syntra's telemetry tables live in (on a server: created at start when missing).
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a ClickHouse identifier').default('syntra'),
  // Telemetry writer: an insert per table every N rows or M milliseconds; at most Q MiB queued before intakes answer 429.
  // The embedded engine's memory ceiling and mark cache (syntra start without CLICKHOUSE_URL).
  SYNTRA_CLICKHOUSE_MEMORY_MB: z.coerce.number().int().min(128).max(1_048_576).default(1024),
  SYNTRA_CLICKHOUSE_MARK_CACHE_MB: z.coerce.number().int().min(8).max(65_536).default(128),
  SYNTRA_TELEMETRY_BATCH_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(16_000),
  SYNTRA_TELEMETRY_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  SYNTRA_TELEMETRY_QUEUE_MB: z.coerce.number().int().min(1).max(4096).default(64),
  // How long telemetry rows are kept when the organisation has not chosen (each row carries its days).
  SYNTRA_TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SYNTRA_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$|^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes as 64 hex characters or base64')
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SYNTRA_BODY_LIMIT_KB: z.coerce.number().int().min(1).max(100_000).default(1024),
  SYNTRA_SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SYNTRA_LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  SYNTRA_LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  SYNTRA_LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SYNTRA_SIGNUP: SignupModeSchema.default('invite'),
  SYNTRA_REGISTER_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  SYNTRA_REGISTER_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  SYNTRA_TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  // Provider endpoints are overridable so the OAuth flow can be exercised against a local stand-in.
  GITHUB_OAUTH_BASE_URL: z.url().default('https://github.com'),
  GITHUB_API_BASE_URL: z.url().default('https://api.github.com'),
  GOOGLE_OAUTH_BASE_URL: z.url().default('https://accounts.google.com'),
  GOOGLE_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_USERINFO_URL: z.url().default('https://openidconnect.googleapis.com/v1/userinfo'),
  ANTHROPIC_API_KEY: optionalString,
  // A proxy or gateway in front of the Messages API (tests: a local stand-in).
  ANTHROPIC_BASE_URL: optionalUrl,
  SYNTRA_AI_MODEL: z.string().trim().min(1).max(200).default('claude-sonnet-5-5'),
  // Each organisation's monthly model-token budget (input + output); 0 = no limit.
  SYNTRA_AI_MONTHLY_TOKENS: z.coerce.number().int().min(0).default(2_000_000),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  GITHUB_WEBHOOK_SECRET: optionalString,
  SYNTRA_AGENT_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(3600).default(15),
  SYNTRA_AGENT_TELEMETRY_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  SYNTRA_LOCAL_AGENT: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  SYNTRA_BUILD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SYNTRA_DEPLOYS_PER_SERVER: z.coerce.number().int().min(1).max(64).default(2),
  SYNTRA_DEPLOY_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  SYNTRA_BUILD_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(3600),
  // How long a worker's hold on a job lasts without renewal: a worker that died loses its jobs to the others after this.
  SYNTRA_JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  SYNTRA_ARTIFACT_MAX_MB: z.coerce.number().int().min(1).max(1_000_000).default(4096),
  // Base images of the Dockerfiles generated for auto-detected apps on the docker runtime.
  SYNTRA_BUILD_NODE_IMAGE: z.string().trim().min(1).default('docker.io/library/node:20-slim'),
  SYNTRA_BUILD_STATIC_IMAGE: z.string().trim().min(1).default('docker.io/library/busybox:stable'),
  SYNTRA_GIT_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  // Alerts (issue 14): channel URLs on private networks for every organisation (the admin org always may).
  SYNTRA_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  SMTP_URL: optionalString,
  SMTP_FROM: z.string().trim().min(3).default('Syntra <alerts@localhost>'),
  SYNTRA_PAGERDUTY_EVENTS_URL: z.url().default('https://events.pagerduty.com/v2/enqueue'),
  // First retry delay of a failed delivery (then doubling, 6 attempts in all).
  SYNTRA_NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  // How often windowed rules are evaluated.
  SYNTRA_ALERT_EVAL_SECONDS: z.coerce.number().min(0.5).max(3600).default(30),
  // How often post-deploy verification measures a deployment it is watching.
  SYNTRA_VERIFY_CHECK_SECONDS: z.coerce.number().min(0.5).max(3600).default(15),
  SYNTRA_LOCAL_TERMINAL_USER: optionalString.pipe(z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user name').optional()),
  // The intake (issue 12): `syntra ingest` listens on INGEST_PORT; rates are items (events + transactions) per minute, 0 = none.
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  SYNTRA_INGEST_KEY_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(600_000),
  SYNTRA_INGEST_ORG_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(1_200_000),
  SYNTRA_INGEST_MAX_LAG_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  SYNTRA_INGEST_ATTACHMENT_MAX_KB: z.coerce.number().int().min(1).max(20_480).default(10_240),
  // Syntra reports its own 5xx and crashed jobs here (a DSN of a Syntra intake); unset: never.
  SYNTRA_SELF_DSN: optionalUrl,
  // Resolvers for domain-ownership TXT lookups (comma-separated host[:port]); default: the system's.
  SYNTRA_DNS_SERVERS: optionalString.pipe(
    z
      .string()
      .regex(/^[\w.:[\]-]+(,[\w.:[\]-]+)*$/, 'comma-separated host[:port] list')
      .optional(),
  ),
});

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** A ClickHouse server (HTTP interface); unset: the engine embedded in `syntra start` (chdb). */
  clickhouseUrl: string | undefined;
  clickhouseDatabase: string;
  /** The embedded engine's server settings (fixed at the process's first open). */
  clickhouseEngine: { maxMemoryMb: number; markCacheMb: number };
  telemetry: { batchRows: number; flushMs: number; queueBytes: number; retentionDays: number };
  secretKey: string | undefined;
  logLevel: string;
  bodyLimitBytes: number;
  sessionTtlMs: number;
  trustProxy: boolean;
  loginLimits: { perIp: number; perAccount: number; windowSeconds: number };
  /**
   * Who may create an account once the first one (the installation admin) exists: anyone with an
   * invite (`invite`), anyone (`open`), or nobody (`closed`; existing users still accept invites).
   */
  signup: SignupMode;
  registerLimits: { perIp: number; windowSeconds: number };
  /** The browser session cookie is `Secure` (and HSTS is sent) when the console is served over https. */
  publicUrlIsHttps: boolean;
  oauth: {
    github: OAuthClientConfig | undefined;
    google: OAuthClientConfig | undefined;
    githubBaseUrl: string;
    githubApiBaseUrl: string;
    googleBaseUrl: string;
    googleTokenUrl: string;
    googleUserinfoUrl: string;
  };
  anthropicApiKey: string | undefined;
  /** AI features (issue 15): on when `apiKey` is set. */
  ai: { apiKey: string | undefined; baseUrl: string | undefined; model: string; monthlyTokens: number };
  stripe: { secretKey: string | undefined; webhookSecret: string | undefined };
  githubWebhookSecret: string | undefined;
  /** Agents heartbeat this often (sent in hello_ack); a server silent for 3 intervals is offline. */
  agentHeartbeatSeconds: number;
  agentTelemetrySeconds: number;
  /** `syntra start` runs an agent for its own machine. */
  localAgent: boolean;
  buildConcurrency: number;
  deploysPerServer: number;
  deployTimeoutSeconds: number;
  /** How long a build on the agent may take (from `build` sent to `build_result`). */
  buildTimeoutSeconds: number;
  /** A dead worker's jobs are taken over by another within about this (BullMQ lock and stalled-job check). */
  jobLockSeconds: number;
  /** Largest artifact an agent may upload (413 above it). */
  artifactMaxBytes: number;
  /** Base images for generated Dockerfiles (Node/Procfile apps; static sites served by busybox httpd); sent to agents in `build`. */
  buildBaseImages: { node: string; static: string };
  /** Git remotes on loopback/private/link-local addresses are allowed (the control plane's own stay refused). */
  gitAllowPrivate: boolean;
  /** Alerts: channels, deliveries and evaluation (issue 14). */
  alerts: { webhookAllowPrivate: boolean; smtpUrl: string | undefined; smtpFrom: string; pagerDutyEventsUrl: string; notifyBackoffMs: number; evalSeconds: number; verifyCheckSeconds: number };
  /** The user the local server's host terminals run as; undefined: `syntra` when it exists. */
  localTerminalUser: string | undefined;
  /** DNS servers for domain verification; empty → the system's resolvers. */
  dnsServers: string[];
  /** The Sentry intake: `syntra ingest`'s port, per-key and per-organisation rates (items a minute, 0: none), the lag bound, the attachment limit. */
  ingest: { port: number; keyRatePerMinute: number; orgRatePerMinute: number; maxLagSeconds: number; attachmentMaxBytes: number };
  /** Where this Syntra reports its own unexpected errors (unset: nowhere; `npm start` sets its own). */
  selfDsn: string | undefined;
}

export class ConfigError extends Error {}

function clientConfig(id: string | undefined, secret: string | undefined): OAuthClientConfig | undefined {
  return id && secret ? { clientId: id, clientSecret: secret } : undefined;
}

/** Parses the environment once. Nothing else in the backend reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(e.SYNTRA_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    clickhouseUrl: e.CLICKHOUSE_URL,
    clickhouseDatabase: e.CLICKHOUSE_DATABASE,
    clickhouseEngine: { maxMemoryMb: e.SYNTRA_CLICKHOUSE_MEMORY_MB, markCacheMb: e.SYNTRA_CLICKHOUSE_MARK_CACHE_MB },
    telemetry: {
      batchRows: e.SYNTRA_TELEMETRY_BATCH_ROWS,
      flushMs: e.SYNTRA_TELEMETRY_FLUSH_MS,
      queueBytes: e.SYNTRA_TELEMETRY_QUEUE_MB * 1024 * 1024,
      retentionDays: e.SYNTRA_TELEMETRY_RETENTION_DAYS,
    },
    secretKey: e.SYNTRA_SECRET_KEY,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.SYNTRA_BODY_LIMIT_KB * 1024,
    sessionTtlMs: e.SYNTRA_SESSION_TTL_DAYS * 86_400_000,
    trustProxy: e.SYNTRA_TRUST_PROXY,
    loginLimits: {
      perIp: e.SYNTRA_LOGIN_LIMIT_PER_IP,
      perAccount: e.SYNTRA_LOGIN_LIMIT_PER_ACCOUNT,
      windowSeconds: e.SYNTRA_LOGIN_LIMIT_WINDOW_SECONDS,
    },
    signup: e.SYNTRA_SIGNUP,
    registerLimits: { perIp: e.SYNTRA_REGISTER_LIMIT_PER_IP, windowSeconds: e.SYNTRA_REGISTER_LIMIT_WINDOW_SECONDS },
    publicUrlIsHttps: (e.PUBLIC_URL ?? '').startsWith('https://'),
    oauth: {
      github: clientConfig(e.GITHUB_CLIENT_ID, e.GITHUB_CLIENT_SECRET),
      google: clientConfig(e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET),
      githubBaseUrl: e.GITHUB_OAUTH_BASE_URL.replace(/\/$/, ''),
      githubApiBaseUrl: e.GITHUB_API_BASE_URL.replace(/\/$/, ''),
      googleBaseUrl: e.GOOGLE_OAUTH_BASE_URL.replace(/\/$/, ''),
      googleTokenUrl: e.GOOGLE_TOKEN_URL,
      googleUserinfoUrl: e.GOOGLE_USERINFO_URL,
    },
    anthropicApiKey: e.ANTHROPIC_API_KEY,
    ai: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.SYNTRA_AI_MODEL, monthlyTokens: e.SYNTRA_AI_MONTHLY_TOKENS },
    stripe: { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET },
    githubWebhookSecret: e.GITHUB_WEBHOOK_SECRET,
    agentHeartbeatSeconds: e.SYNTRA_AGENT_HEARTBEAT_SECONDS,
    agentTelemetrySeconds: e.SYNTRA_AGENT_TELEMETRY_SECONDS,
    localAgent: e.SYNTRA_LOCAL_AGENT,
    buildConcurrency: e.SYNTRA_BUILD_CONCURRENCY,
    deploysPerServer: e.SYNTRA_DEPLOYS_PER_SERVER,
    deployTimeoutSeconds: e.SYNTRA_DEPLOY_TIMEOUT_SECONDS,
    buildTimeoutSeconds: e.SYNTRA_BUILD_TIMEOUT_SECONDS,
    jobLockSeconds: e.SYNTRA_JOB_LOCK_SECONDS,
    artifactMaxBytes: e.SYNTRA_ARTIFACT_MAX_MB * 1024 * 1024,
    buildBaseImages: { node: e.SYNTRA_BUILD_NODE_IMAGE, static: e.SYNTRA_BUILD_STATIC_IMAGE },
    gitAllowPrivate: e.SYNTRA_GIT_ALLOW_PRIVATE,
    alerts: {
      webhookAllowPrivate: e.SYNTRA_WEBHOOK_ALLOW_PRIVATE,
      smtpUrl: e.SMTP_URL,
      smtpFrom: e.SMTP_FROM,
      pagerDutyEventsUrl: e.SYNTRA_PAGERDUTY_EVENTS_URL,
      notifyBackoffMs: e.SYNTRA_NOTIFY_BACKOFF_MS,
      evalSeconds: e.SYNTRA_ALERT_EVAL_SECONDS,
      verifyCheckSeconds: e.SYNTRA_VERIFY_CHECK_SECONDS,
    },
    localTerminalUser: e.SYNTRA_LOCAL_TERMINAL_USER,
    dnsServers: e.SYNTRA_DNS_SERVERS?.split(',') ?? [],
    ingest: {
      port: e.INGEST_PORT,
      keyRatePerMinute: e.SYNTRA_INGEST_KEY_RATE_PER_MINUTE,
      orgRatePerMinute: e.SYNTRA_INGEST_ORG_RATE_PER_MINUTE,
      maxLagSeconds: e.SYNTRA_INGEST_MAX_LAG_SECONDS,
      attachmentMaxBytes: e.SYNTRA_INGEST_ATTACHMENT_MAX_KB * 1024,
    },
    selfDsn: e.SYNTRA_SELF_DSN,
  };
}
