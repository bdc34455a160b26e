import { z } from 'zod';
import { CreateAlertRuleBodySchema, GitRefSchema, IdSchema, ServerCommandBodySchema } from '@syntra/shared';
import { action } from './tool-types.js';

/**
 * Actions the model may only propose. Each names the permission the console's button needs, says
 * in one line what approving will do (checking the target is the asker's), and on approval runs the
 * button's own service method as the approving user.
 */
export const ACTION_TOOL_TABLE = [
  action({
    name: 'propose_deploy',
    action: 'deploy',
    description: 'Propose deploying a service (its branch head, or git_ref). Nothing happens until the user approves it in the console.',
    input: z.object({ service_id: IdSchema, git_ref: GitRefSchema.optional() }),
    permission: 'deployments.create',
    describe: async (p, a, i) => `Deploy ${(await p.getService(a.orgId, i.service_id)).name}${i.git_ref ? ` at ${i.git_ref}` : ' (branch head)'}`,
    execute: async (p, w, i) => {
      const d = await p.deploy(w.orgId, i.service_id, w.actor, { git_ref: i.git_ref });
      return { deployment_id: d.id, deployment_status: d.status };
    },
  }),
  action({
    name: 'propose_rollback',
    action: 'rollback',
    description: 'Propose rolling a service back (to deployment_id, default the one before the current). Nothing happens until the user approves it.',
    input: z.object({ service_id: IdSchema, deployment_id: IdSchema.optional() }),
    permission: 'deployments.create',
    describe: async (p, a, i) => `Roll back ${(await p.getService(a.orgId, i.service_id)).name}${i.deployment_id ? ` to deployment ${i.deployment_id.slice(0, 8)}` : ' to the previous deployment'}`,
    execute: async (p, w, i) => {
      const d = await p.rollback(w.orgId, i.service_id, w.actor, i.deployment_id);
      return { deployment_id: d.id, deployment_status: d.status };
    },
  }),
  action({
    name: 'propose_restart_service',
    action: 'restart_service',
    description: "Propose restarting a running service (its current deployment's instances start afresh; no build). Nothing happens until the user approves it.",
    input: z.object({ service_id: IdSchema }),
    permission: 'deployments.create',
    describe: async (p, a, i) => `Restart ${(await p.getService(a.orgId, i.service_id)).name}`,
    execute: async (p, w, i) => {
      const r = await p.restartService(w.orgId, i.service_id, w.actor);
      return { deployment_id: r.deployment_id, command_ids: r.commands.map((c) => c.command_id) };
    },
  }),
  action({
    name: 'propose_create_alert_rule',
    action: 'create_alert_rule',
    description:
      'Propose creating an alert rule: the body of POST /alert-rules (name, kind, condition for that kind, scope {server_id|service_id|project_id}, severity, for_seconds, cooldown_seconds, channel_ids). Nothing happens until the user approves it.',
    // The alerts module's own rule schema: a condition that does not fit its kind is refused here, before anyone is asked.
    input: CreateAlertRuleBodySchema,
    permission: 'alerts.write',
    describe: async (p, a, i) => {
      const on = i.scope.service_id
        ? ` on ${(await p.getService(a.orgId, i.scope.service_id)).name}`
        : i.scope.server_id
          ? ` on ${(await p.getServer(a.orgId, i.scope.server_id)).name}`
          : i.scope.project_id
            ? ' on a project'
            : '';
      return `Create the ${i.severity} alert rule "${i.name}" (${i.kind})${on}`;
    },
    execute: async (p, w, i) => {
      const rule = await p.createAlertRule(w.orgId, w.actor, i);
      return { alert_rule_id: rule.id };
    },
  }),
  action({
    name: 'propose_run_command',
    action: 'run_command',
    description: 'Propose running an agent command (dotted name, e.g. docker.restart) on a server. Nothing happens until the user approves it.',
    input: z.object({ server_id: IdSchema, name: ServerCommandBodySchema.shape.name, args: z.record(z.string(), z.unknown()).default({}) }),
    permission: 'servers.write',
    describe: async (p, a, i) => `Run ${i.name} on ${(await p.getServer(a.orgId, i.server_id)).name}`,
    execute: async (p, w, i) => {
      const c = await p.runCommand(w.orgId, i.server_id, w.actor, { name: i.name, args: i.args });
      return { command_id: c.id, command_status: c.status };
    },
  }),
];
