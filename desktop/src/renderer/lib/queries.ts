import { contracts, type AuditEntrySchema, type ContractOutput, type MemberSchema, type OrgSchema } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { call } from './api-client.js';
import { useSession } from './session.js';

export type Member = z.infer<typeof MemberSchema>;
export type Org = z.infer<typeof OrgSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type PendingInvite = ContractOutput<typeof contracts.getOrgsByOrgIdInvites>[number];

export function useOrgId(): string | null {
  return useSession((s) => s.orgId);
}

export const keys = {
  me: ['me'] as const,
  org: (orgId: string) => ['org', orgId] as const,
  members: (orgId: string) => ['members', orgId] as const,
  invites: (orgId: string) => ['invites', orgId] as const,
  tokens: ['tokens'] as const,
  providers: ['providers'] as const,
  audit: (orgId: string) => ['audit', orgId] as const,
};

export function useMe() {
  const signedIn = useSession((s) => s.status === 'signed_in');
  return useQuery({
    queryKey: keys.me,
    queryFn: () => call(contracts.getAuthMe, {}),
    enabled: signedIn,
  });
}

export function useMembers(orgId: string | null) {
  return useQuery({
    queryKey: keys.members(orgId ?? ''),
    queryFn: () => call(contracts.getOrgsByOrgIdMembers, { params: { orgId: orgId! } }),
    enabled: !!orgId,
  });
}

export function useInvites(orgId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: keys.invites(orgId ?? ''),
    queryFn: () => call(contracts.getOrgsByOrgIdInvites, { params: { orgId: orgId! } }),
    enabled: !!orgId && enabled,
  });
}

export function useTokens() {
  return useQuery({ queryKey: keys.tokens, queryFn: () => call(contracts.getTokens, {}) });
}

/** Sign-in methods, and who may register (the register page's wording). */
export type AuthProviders = ContractOutput<typeof contracts.getAuthProviders>;

export function useProviders() {
  return useQuery({
    queryKey: keys.providers,
    queryFn: () => call(contracts.getAuthProviders, { token: null }),
    staleTime: 5 * 60_000,
  });
}

export function useAudit(orgId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: keys.audit(orgId ?? ''),
    queryFn: () => call(contracts.getOrgsByOrgIdAudit, { params: { orgId: orgId! }, query: { limit: 50 } }),
    enabled: !!orgId && enabled,
  });
}
