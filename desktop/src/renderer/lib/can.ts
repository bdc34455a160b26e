import { type Permission, roleCan } from '@syntra/shared';
import { useConnection } from './connection.js';
import { useSession } from './session.js';

/**
 * Whether the current user may do this in the current organisation right now: their role allows
 * it (the shared permission table the backend enforces) and the console is online (offline is read-only).
 */
export function useCan(permission: Permission): boolean {
  const role = useSession((s) => s.orgs.find((o) => o.id === s.orgId)?.role ?? null);
  const online = useConnection((s) => s.online);
  return role !== null && online && roleCan(role, permission);
}

export function useRole() {
  return useSession((s) => s.orgs.find((o) => o.id === s.orgId)?.role ?? null);
}
