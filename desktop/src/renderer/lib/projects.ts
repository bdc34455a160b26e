import { contracts, type ContractOutput } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { call } from './api-client.js';
import { NO_PERSIST } from './query-client.js';

export const projectKeys = {
  list: (orgId: string) => ['projects', orgId] as const,
  one: (id: string) => ['projects', 'one', id] as const,
  services: (projectId: string) => ['services', 'of', projectId] as const,
  service: (id: string) => ['services', 'one', id] as const,
  env: (serviceId: string) => ['services', 'env', serviceId] as const,
  deployments: (serviceId: string) => ['deployments', 'of', serviceId] as const,
  deployment: (id: string) => ['deployments', 'one', id] as const,
  recent: (orgId: string) => ['deployments', 'recent', orgId] as const,
  failing: (orgId: string) => ['deployments', 'failing', orgId] as const,
  domains: (orgId: string) => ['domains', orgId] as const,
};

export type DeploymentWithLogs = ContractOutput<typeof contracts.getDeploymentsByDeploymentId>;
export type LogPage = DeploymentWithLogs['logs'];
export type ServiceOnServer = ContractOutput<typeof contracts.getServersByServerIdServices>[number];

export function useProjects(orgId: string | null) {
  return useQuery({ queryKey: projectKeys.list(orgId ?? ''), queryFn: () => call(contracts.getProjects, {}), enabled: !!orgId });
}
export function useProject(id: string) {
  return useQuery({ queryKey: projectKeys.one(id), queryFn: () => call(contracts.getProjectsByProjectId, { params: { projectId: id } }) });
}
export function useServices(projectId: string) {
  return useQuery({ queryKey: projectKeys.services(projectId), queryFn: () => call(contracts.getProjectsByProjectIdServices, { params: { projectId } }) });
}
export function useService(id: string) {
  return useQuery({ queryKey: projectKeys.service(id), queryFn: () => call(contracts.getServicesByServiceId, { params: { serviceId: id } }) });
}
export function useEnv(serviceId: string) {
  return useQuery({
    queryKey: projectKeys.env(serviceId),
    // Values are in clear for roles that may reveal them: memory only.
    meta: NO_PERSIST,
    queryFn: () => call(contracts.getServicesByServiceIdEnv, { params: { serviceId } }),
  });
}
/** The organisation's domain claims (status and the TXT record proving ownership). */
export function useDomains(orgId: string | null) {
  return useQuery({ queryKey: projectKeys.domains(orgId ?? ''), queryFn: () => call(contracts.getDomains, {}), enabled: !!orgId });
}
export function useDeployments(serviceId: string) {
  return useQuery({
    queryKey: projectKeys.deployments(serviceId),
    queryFn: async () => (await call(contracts.getServicesByServiceIdDeployments, { params: { serviceId }, query: { limit: 50 } })).items,
  });
}
export function useDeployment(id: string) {
  return useQuery({ queryKey: projectKeys.deployment(id), queryFn: () => call(contracts.getDeploymentsByDeploymentId, { params: { deploymentId: id }, query: { tail: 2000 } }) });
}

/**
 * The org's latest deployments (one page of the org-wide list). Kept under `projectKeys.recent`
 * because the desktop's tray and notifications read that cache entry.
 */
export function useRecentDeployments(orgId: string | null) {
  return useQuery({
    queryKey: projectKeys.recent(orgId ?? ''),
    enabled: !!orgId,
    queryFn: async () => (await call(contracts.getDeployments, { query: { limit: 20 } })).items,
  });
}

/** Services whose newest deployment failed (the previous version keeps serving): worth a look. */
export function useFailingServices(orgId: string | null) {
  return useQuery({
    queryKey: projectKeys.failing(orgId ?? ''),
    enabled: !!orgId,
    queryFn: async () => (await call(contracts.getDeployments, { query: { latest: true, status: 'failed', limit: 20 } })).items,
  });
}

/** Services placed on one server, with their project's name. */
export function useServicesOnServer(serverId: string) {
  return useQuery({
    queryKey: ['services', 'on-server', serverId],
    queryFn: () => call(contracts.getServersByServerIdServices, { params: { serverId } }),
  });
}
