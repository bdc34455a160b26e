import type { Permission } from '@syntra/shared';

export interface NavItem {
  path: string;
  label: string;
  /** Shown only to roles holding this permission. */
  permission?: Permission;
  keywords?: string;
}

/** The console's main places: sidebar and command palette both come from here. */
export const NAV: NavItem[] = [
  { path: '/', label: 'Overview', keywords: 'home dashboard status' },
  { path: '/servers', label: 'Servers', permission: 'servers.read', keywords: 'hosts machines agents' },
  { path: '/projects', label: 'Projects', permission: 'projects.read', keywords: 'apps services deploy' },
  { path: '/deployments', label: 'Deployments', permission: 'projects.read', keywords: 'deploys releases builds rollouts history' },
  { path: '/issues', label: 'Issues', permission: 'issues.read', keywords: 'errors exceptions crashes sentry observability bugs' },
  { path: '/observability/logs', label: 'Observability', permission: 'telemetry.read', keywords: 'logs traces metrics spans tail search otel telemetry' },
  { path: '/team', label: 'Team', permission: 'members.read', keywords: 'members invites roles people' },
  { path: '/settings', label: 'Settings', keywords: 'profile tokens theme notifications organisation' },
];

export const ACTIONS: NavItem[] = [
  { path: '/servers/new', label: 'Add a server', permission: 'servers.write', keywords: 'install agent connect' },
  { path: '/projects?new=1', label: 'Create a project', permission: 'projects.write', keywords: 'new' },
  { path: '/deployments?status=failed', label: 'Failed deployments', permission: 'projects.read', keywords: 'deploys errors broken builds' },
  { path: '/issues?status=regressed', label: 'Regressed issues', permission: 'issues.read', keywords: 'errors back again regression' },
  { path: '/observability/logs?live=1', label: 'Live tail of logs', permission: 'telemetry.read', keywords: 'stream follow' },
  { path: '/observability/traces?status=error', label: 'Traces with errors', permission: 'telemetry.read', keywords: 'spans failed slow' },
  { path: '/team?invite=1', label: 'Invite a member', permission: 'invites.create', keywords: 'add user email' },
  { path: '/settings/tokens', label: 'API tokens', keywords: 'keys cli' },
  { path: '/settings/audit', label: 'Audit log', permission: 'audit.read', keywords: 'history who changes security' },
  { path: '/settings', label: 'Profile and appearance', keywords: 'theme dark light' },
];
