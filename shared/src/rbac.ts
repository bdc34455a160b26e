import { z } from 'zod';

export const ORG_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export const OrgRoleSchema = z.enum(ORG_ROLES);
export type OrgRole = z.infer<typeof OrgRoleSchema>;

/** Scopes an API token can carry. Session tokens implicitly hold all of them. */
export const TOKEN_SCOPES = ['read', 'write', 'deploy', 'admin'] as const;
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

const ALL: readonly OrgRole[] = ORG_ROLES;
const BUILDERS: readonly OrgRole[] = ['owner', 'admin', 'developer'];
const ADMINS: readonly OrgRole[] = ['owner', 'admin'];
const OWNERS: readonly OrgRole[] = ['owner'];

interface PermissionRule {
  roles: readonly OrgRole[];
  /** The API-token scope that grants this permission. */
  scope: TokenScope;
}

/**
 * The one permission table. The backend enforces it on every org-scoped route; the console uses
 * it to hide what a role cannot do. Adding a permission here is the only way to gate a route.
 */
export const PERMISSIONS = {
  'org.read': { roles: ALL, scope: 'read' },
  'org.update': { roles: ADMINS, scope: 'admin' },
  'org.delete': { roles: OWNERS, scope: 'admin' },
  'members.read': { roles: ALL, scope: 'read' },
  'members.manage': { roles: ADMINS, scope: 'admin' },
  // Leaving an organisation changes the account: every role may, but a token needs `admin`.
  'members.leave': { roles: ALL, scope: 'admin' },
  'invites.create': { roles: ADMINS, scope: 'admin' },
  'audit.read': { roles: ADMINS, scope: 'admin' },
  'servers.read': { roles: ALL, scope: 'read' },
  'servers.write': { roles: ADMINS, scope: 'write' },
  'projects.read': { roles: ALL, scope: 'read' },
  'projects.write': { roles: BUILDERS, scope: 'write' },
  'services.write': { roles: BUILDERS, scope: 'write' },
  'env.reveal': { roles: BUILDERS, scope: 'write' },
  'env.write': { roles: BUILDERS, scope: 'write' },
  'deployments.create': { roles: BUILDERS, scope: 'deploy' },
  'terminal.open': { roles: BUILDERS, scope: 'admin' },
  'issues.read': { roles: ALL, scope: 'read' },
  'issues.write': { roles: BUILDERS, scope: 'write' },
  'telemetry.read': { roles: ALL, scope: 'read' },
  'billing.manage': { roles: OWNERS, scope: 'admin' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function roleCan(role: OrgRole, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly OrgRole[]).includes(role);
}

export function scopeFor(permission: Permission): TokenScope {
  return PERMISSIONS[permission].scope;
}

/** `admin` scope implies all others; `write` implies `read`; `deploy` implies `read`. */
export function scopesAllow(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  if (scopes.includes('admin') || scopes.includes(needed)) return true;
  return needed === 'read' && (scopes.includes('write') || scopes.includes('deploy'));
}

/**
 * What a caller may do in one organisation: its role's permissions, narrowed by an API token's
 * scopes (`null`: a session, which holds every permission of its role). Services that decide
 * something per permission (unmask env values, remove another member) take this, never the role
 * alone, so a narrow token cannot reach through a route that a wider one shares.
 */
export type EffectivePermissions = ReadonlySet<Permission>;

export function effectivePermissions(role: OrgRole, scopes: readonly TokenScope[] | null): EffectivePermissions {
  return new Set(PERMISSION_NAMES.filter((p) => roleCan(role, p) && (scopes === null || scopesAllow(scopes, scopeFor(p)))));
}

/** Roles an actor may hand out: nobody grants a role above their own; only owners make owners. */
export function rolesAssignableBy(role: OrgRole): OrgRole[] {
  if (role === 'owner') return [...ORG_ROLES];
  if (role === 'admin') return ['admin', 'developer', 'viewer'];
  return [];
}
