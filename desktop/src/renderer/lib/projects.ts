import type { Deployment, DeploymentLogLine, Project, Service } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from './api.js';

export const projectKeys = {
  list: (orgId: string) => ['projects', orgId] as const,
  one: (id: string) => ['projects', 'one', id] as const,
  services: (projectId: string) => ['services', 'of', projectId] as const,
  service: (id: string) => ['services', 'one', id] as const,
  env: (serviceId: string) => ['services', 'env', serviceId] as const,
  deployments: (serviceId: string) => ['deployments', 'of', serviceId] as const,
  deployment: (id: string) => ['deployments', 'one', id] as const,
  recent: (orgId: string) => ['deployments', 'recent', orgId] as const,
};

export interface LogPage {
  lines: DeploymentLogLine[];
  total_lines: number;
  total_bytes: number;
  next_after: number | null;
}
export type DeploymentWithLogs = Deployment & { logs: LogPage };
export interface RecentDeployment extends Deployment {
  service_name: string;
  project_name: string;
}

export function useProjects(orgId: string | null) {
  return useQuery({ queryKey: projectKeys.list(orgId ?? ''), queryFn: () => api<Project[]>('/api/v1/projects', { org: true }), enabled: !!orgId });
}
export function useProject(id: string) {
  return useQuery({ queryKey: projectKeys.one(id), queryFn: () => api<Project>(`/api/v1/projects/${id}`) });
}
export function useServices(projectId: string) {
  return useQuery({ queryKey: projectKeys.services(projectId), queryFn: () => api<Service[]>(`/api/v1/projects/${projectId}/services`) });
}
export function useService(id: string) {
  return useQuery({ queryKey: projectKeys.service(id), queryFn: () => api<Service>(`/api/v1/services/${id}`) });
}
export function useEnv(serviceId: string) {
  return useQuery({
    queryKey: projectKeys.env(serviceId),
    queryFn: () => api<{ masked: boolean; vars: { key: string; value: string | null }[] }>(`/api/v1/services/${serviceId}/env`),
  });
}
export function useDeployments(serviceId: string) {
  return useQuery({
    queryKey: projectKeys.deployments(serviceId),
    queryFn: async () => (await api<{ items: Deployment[] }>(`/api/v1/services/${serviceId}/deployments?limit=50`)).items,
  });
}
export function useDeployment(id: string) {
  return useQuery({ queryKey: projectKeys.deployment(id), queryFn: () => api<DeploymentWithLogs>(`/api/v1/deployments/${id}?tail=2000`) });
}

/** The org's latest deployments: there is no org-wide list route, so walk projects → services (bounded). */
export function useRecentDeployments(orgId: string | null) {
  return useQuery({
    queryKey: projectKeys.recent(orgId ?? ''),
    enabled: !!orgId,
    queryFn: async () => {
      const projects = await api<Project[]>('/api/v1/projects', { org: true });
      const services = (
        await Promise.all(projects.slice(0, 20).map(async (p) => (await api<Service[]>(`/api/v1/projects/${p.id}/services`)).map((s) => ({ s, p }))))
      ).flat();
      const lists = await Promise.all(
        services.slice(0, 30).map(async ({ s, p }) =>
          (await api<{ items: Deployment[] }>(`/api/v1/services/${s.id}/deployments?limit=5`)).items.map((d) => ({ ...d, service_name: s.name, project_name: p.name })),
        ),
      );
      return lists
        .flat()
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, 20) as RecentDeployment[];
    },
  });
}

/** Services placed on one server (walks the org's projects: there is no per-server services route). */
export function useServicesOnServer(orgId: string | null, serverId: string) {
  return useQuery({
    queryKey: ['services', 'on-server', orgId ?? '', serverId],
    enabled: !!orgId,
    queryFn: async () => {
      const projects = await api<Project[]>('/api/v1/projects', { org: true });
      const lists = await Promise.all(
        projects.slice(0, 50).map(async (p) => (await api<Service[]>(`/api/v1/projects/${p.id}/services`)).filter((s) => s.server_id === serverId).map((s) => ({ ...s, project_name: p.name }))),
      );
      return lists.flat();
    },
  });
}
