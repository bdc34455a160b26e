import { z } from 'zod';

/**
 * Every closed list of values that crosses a boundary (database enum, API, stream, agent frame,
 * console), defined once with its zod enum; subsets are derived here too, so no module keeps its own
 * copy of "the statuses that ...". It imports nothing but zod, so the desktop's IPC schemas (bundled
 * into the preload) take these from `@syntra/shared/contract-values` without the rest of shared.
 */

// Servers and the commands queued for their agents.
export const SERVER_STATUSES = ['online', 'offline', 'updating', 'error'] as const;
export const ServerStatusSchema = z.enum(SERVER_STATUSES);
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

export const COMMAND_STATUSES = ['pending', 'delivered', 'answered', 'expired'] as const;
export const CommandStatusSchema = z.enum(COMMAND_STATUSES);
export type CommandStatus = z.infer<typeof CommandStatusSchema>;

// Deployments.
export const DEPLOYMENT_STATUSES = ['queued', 'building', 'pushing', 'deploying', 'running', 'failed', 'cancelled', 'rolled_back'] as const;
export const DeploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;
/** Still building (the agent has not been asked to deploy yet): a user may cancel, a retried job may build again. */
export const BUILD_PHASE_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['queued', 'building', 'pushing'];
/** In progress, in pipeline order (the console's timeline); the rest are terminal. */
export const ACTIVE_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [...BUILD_PHASE_DEPLOYMENT_STATUSES, 'deploying'];
/** The pipeline is done with it: it ran or it ended. */
export const TERMINAL_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['running', 'failed', 'cancelled', 'rolled_back'];
/** Deployments that ran (the live one, or one a rollback replaced): a rollback may return to them. */
export const ROLLBACK_TARGET_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['running', 'rolled_back'];

/** What the agent reports of one deploy (`deploy_status`); the deployment's own status is DEPLOYMENT_STATUSES. */
export const DEPLOY_STATUSES = ['pulling', 'starting', 'health_checking', 'running', 'failed', 'stopped'] as const;
export const DeployStatusValueSchema = z.enum(DEPLOY_STATUSES);
export type DeployStatusValue = z.infer<typeof DeployStatusValueSchema>;

/** The stream of a log line: a service's stdout/stderr, its build, or Syntra's own notes on it. */
export const LOG_STREAMS = ['stdout', 'stderr', 'build', 'system'] as const;
export const LogLineStreamSchema = z.enum(LOG_STREAMS);
export type LogLineStream = z.infer<typeof LogLineStreamSchema>;
/** The streams a build writes (`build_log`): a build has no service output yet. */
export const BUILD_LOG_STREAMS = ['build', 'system'] as const satisfies readonly LogLineStream[];
export const BuildLogStreamSchema = z.enum(BUILD_LOG_STREAMS);

/** What a build produces: a tarball (process runtime) or an image (docker runtime). */
export const ARTIFACT_KINDS = ['tarball', 'image'] as const;
export const ArtifactKindSchema = z.enum(ARTIFACT_KINDS);
export type ArtifactKind = z.infer<typeof ArtifactKindSchema>;

// Services and the runtimes they run on.
export const SERVICE_SOURCE_TYPES = ['auto', 'dockerfile', 'image'] as const;
export const ServiceSourceTypeSchema = z.enum(SERVICE_SOURCE_TYPES);
export type ServiceSourceType = z.infer<typeof ServiceSourceTypeSchema>;
/** The sources Syntra builds (an `image` source is pulled, not built): a `build` frame's source_type. */
export const BUILT_SOURCE_TYPES = ['auto', 'dockerfile'] as const satisfies readonly ServiceSourceType[];
export const BuiltSourceTypeSchema = z.enum(BUILT_SOURCE_TYPES);
export type BuiltSourceType = z.infer<typeof BuiltSourceTypeSchema>;

/** The agent's runtimes (its hello and a `build`), which are also what a service runs on. */
export const RUNTIME_KINDS = ['process', 'docker'] as const;
export const RuntimeKindSchema = z.enum(RUNTIME_KINDS);
export type RuntimeKind = z.infer<typeof RuntimeKindSchema>;
/**
 * Where the service runs on its server. Auto-detected builds produce a tarball for `process` and a
 * generated Dockerfile's image for `docker`; `dockerfile` and `image` sources always run on `docker`.
 */
export const SERVICE_RUNTIMES = RUNTIME_KINDS;
export const ServiceRuntimeSchema = RuntimeKindSchema;
export type ServiceRuntime = RuntimeKind;

/** A service instance's state in a heartbeat. */
export const SERVICE_STATES = ['starting', 'running', 'stopped', 'crashed', 'unknown'] as const;
export const ServiceStateSchema = z.enum(SERVICE_STATES);
export type ServiceState = z.infer<typeof ServiceStateSchema>;

/** A terminal session's life: opened by the console, attached by the agent, ended once (exit, close or sweep). */
export const TERMINAL_SESSION_STATUSES = ['pending', 'open', 'ended'] as const;
export const TerminalSessionStatusSchema = z.enum(TERMINAL_SESSION_STATUSES);
export type TerminalSessionStatus = z.infer<typeof TerminalSessionStatusSchema>;

/** The agent's log levels (its config file, env and the control plane's `config` frame). */
export const AGENT_LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export const AgentLogLevelSchema = z.enum(AGENT_LOG_LEVELS);
export type AgentLogLevel = z.infer<typeof AgentLogLevelSchema>;

// Accounts.
export const OAUTH_PROVIDERS = ['github', 'google'] as const;
export const OAuthProviderSchema = z.enum(OAUTH_PROVIDERS);
export type OAuthProvider = z.infer<typeof OAuthProviderSchema>;
export const SIGNUP_MODES = ['invite', 'open', 'closed'] as const;
export const SignupModeSchema = z.enum(SIGNUP_MODES);
export type SignupMode = z.infer<typeof SignupModeSchema>;

// Error tracking (issue 12).
/** An issue's state (the database enum `issue_status`); `regressed` is an event after `resolved`. */
export const ISSUE_STATUSES = ['unresolved', 'resolved', 'ignored', 'regressed'] as const;
export const IssueStatusSchema = z.enum(ISSUE_STATUSES);
export type IssueStatus = z.infer<typeof IssueStatusSchema>;

/** Sentry's event levels (`warn` from older SDKs is normalised to `warning`). */
export const ISSUE_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
export const IssueLevelSchema = z.enum(ISSUE_LEVELS);
export type IssueLevel = z.infer<typeof IssueLevelSchema>;
