import { z } from 'zod';
import { type AiAction, type EffectivePermissions, GitRefSchema, IdSchema, type Permission, ServerCommandBodySchema } from '@syntra/shared';
import type { CopilotPorts } from './ports.js';

export interface Asker {
  orgId: string;
  userId: string;
  /** The asking user's role narrowed by their token's scopes, as for any route. */
  permissions: EffectivePermissions;
}

interface ToolBase<S extends z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** What the asking user must hold for the tool to run (a read) or be proposed (an action). */
  permission: Permission;
}

export interface ReadTool<S extends z.ZodType = z.ZodType> extends ToolBase<S> {
  kind: 'read';
  run(ports: CopilotPorts, asker: Asker, input: z.infer<S>): Promise<unknown>;
}

export interface ActionTool<S extends z.ZodType = z.ZodType> extends ToolBase<S> {
  kind: 'action';
  action: AiAction;
  /** Checks the target exists in the asker's organisation and says in one line what approving will do. */
  describe(ports: CopilotPorts, asker: Asker, input: z.infer<S>): Promise<string>;
}

export type CopilotTool = ReadTool | ActionTool;

const read = <S extends z.ZodType>(t: Omit<ReadTool<S>, 'kind'>): ReadTool => ({ kind: 'read', ...t }) as unknown as ReadTool;
const action = <S extends z.ZodType>(t: Omit<ActionTool<S>, 'kind'>): ActionTool => ({ kind: 'action', ...t }) as unknown as ActionTool;

const ServiceRef = z.object({ service_id: IdSchema });

export const DeployArgsSchema = z.object({ service_id: IdSchema, git_ref: GitRefSchema.optional() });
export const RollbackArgsSchema = z.object({ service_id: IdSchema, deployment_id: IdSchema.optional() });
export const RunCommandArgsSchema = z.object({ server_id: IdSchema, name: ServerCommandBodySchema.shape.name, args: z.record(z.string(), z.unknown()).default({}) });

/**
 * The tools the model may call. Reads run at once through the same services as the console, in the
 * asker's organisation; actions never run here: calling one only records a proposal that the user
 * approves or rejects in the console (ProposalService).
 */
export const COPILOT_TOOLS: readonly CopilotTool[] = [
  read({
    name: 'list_servers',
    description: "The organisation's servers with their status and latest resource usage.",
    input: z.object({}),
    permission: 'servers.read',
    run: (p, a) => p.listServers(a.orgId),
  }),
  read({
    name: 'get_server',
    description: 'One server by id: status, agent facts, latest usage.',
    input: z.object({ server_id: IdSchema }),
    permission: 'servers.read',
    run: (p, a, i) => p.getServer(a.orgId, i.server_id),
  }),
  read({
    name: 'list_services',
    description: "The organisation's projects, each with its services (id, name, server, status).",
    input: z.object({}),
    permission: 'projects.read',
    run: async (p, a) => {
      const projects = await p.listProjects(a.orgId);
      return Promise.all(projects.slice(0, 50).map(async (project) => ({ project: { id: project.id, name: project.name }, services: await p.listServices(a.orgId, project.id) })));
    },
  }),
  read({
    name: 'get_service',
    description: 'One service by id: its settings, domains and current deployment.',
    input: ServiceRef,
    permission: 'projects.read',
    run: (p, a, i) => p.getService(a.orgId, i.service_id),
  }),
  read({
    name: 'get_service_env',
    description: "A service's environment variable names (values are never given to the assistant).",
    input: ServiceRef,
    permission: 'projects.read',
    run: async (p, a, i) => {
      // The same view as the console's (masked without env.reveal), and even where the user may
      // see values they are not sent to the model: it needs names, never secrets.
      const view = await p.viewEnv(a.orgId, i.service_id, a.permissions);
      return { masked_for_this_user: view.masked, keys: view.vars.map((v) => v.key) };
    },
  }),
  read({
    name: 'list_deployments',
    description: 'Recent deployments, newest first; optionally of one service or in one status.',
    input: z.object({
      service_id: IdSchema.optional(),
      status: z.string().max(32).optional(),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    permission: 'projects.read',
    run: (p, a, i) => p.listDeployments(a.orgId, i),
  }),
  read({
    name: 'get_deployment',
    description: 'One deployment by id with the tail of its build/deploy log.',
    input: z.object({ deployment_id: IdSchema }),
    permission: 'projects.read',
    run: (p, a, i) => p.getDeployment(a.orgId, i.deployment_id),
  }),
  read({
    name: 'service_logs',
    description: 'The last runtime log lines (stdout/stderr) of a service.',
    input: z.object({ service_id: IdSchema, tail: z.number().int().min(1).max(200).default(50) }),
    permission: 'projects.read',
    run: (p, a, i) => p.serviceLogs(a.orgId, i.service_id, i.tail),
  }),
  read({
    name: 'list_issues',
    description: 'Error-tracking issues (grouped exceptions), most recent first; filter by words, status (unresolved, resolved, ignored, regressed) or service.',
    input: z.object({
      q: z.string().max(200).optional(),
      status: z.enum(['unresolved', 'resolved', 'ignored', 'regressed']).optional(),
      service_id: IdSchema.optional(),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    permission: 'issues.read',
    run: (p, a, i) => p.listIssues(a.orgId, i),
  }),
  read({
    name: 'get_issue',
    description: 'One issue with its counts, the deploy that introduced it, its AI analysis if any, and its latest event (exception, in-app frames, breadcrumbs, tags).',
    input: z.object({ issue_id: IdSchema }),
    permission: 'issues.read',
    run: (p, a, i) => p.getIssue(a.orgId, i.issue_id),
  }),
  action({
    name: 'propose_deploy',
    action: 'deploy',
    description: 'Propose deploying a service (its branch head, or git_ref). Nothing happens until the user approves it in the console.',
    input: DeployArgsSchema,
    permission: 'deployments.create',
    describe: async (p, a, i) => `Deploy ${(await p.getService(a.orgId, i.service_id)).name}${i.git_ref ? ` at ${i.git_ref}` : ' (branch head)'}`,
  }),
  action({
    name: 'propose_rollback',
    action: 'rollback',
    description: 'Propose rolling a service back (to deployment_id, default the one before the current). Nothing happens until the user approves it.',
    input: RollbackArgsSchema,
    permission: 'deployments.create',
    describe: async (p, a, i) => `Roll back ${(await p.getService(a.orgId, i.service_id)).name}${i.deployment_id ? ` to deployment ${i.deployment_id.slice(0, 8)}` : ' to the previous deployment'}`,
  }),
  action({
    name: 'propose_run_command',
    action: 'run_command',
    description: "Propose running an agent command (dotted name, e.g. docker.restart) on a server. Nothing happens until the user approves it.",
    input: RunCommandArgsSchema,
    permission: 'servers.write',
    describe: async (p, a, i) => `Run ${i.name} on ${(await p.getServer(a.orgId, i.server_id)).name}`,
  }),
];

export const TOOLS_BY_NAME = new Map(COPILOT_TOOLS.map((t) => [t.name, t]));
export const ACTION_TOOLS = new Map(COPILOT_TOOLS.filter((t): t is ActionTool => t.kind === 'action').map((t) => [t.action, t]));

/** The tools' definitions as the Messages API takes them (JSON Schema from the zod inputs). */
export function toolDefinitions() {
  return COPILOT_TOOLS.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as { type: 'object'; [k: string]: unknown },
  }));
}
