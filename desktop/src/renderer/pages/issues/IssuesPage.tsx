import { contracts } from '@syntra/shared';
import { useQueries } from '@tanstack/react-query';
import { PageHeader } from '../../components/ui.js';
import { IssueList } from '../../features/issues/IssueList.js';
import { call } from '../../lib/api-client.js';
import { projectKeys, useProjects } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';

/** Every service of the organisation by name ("project / service"), for the service filter; the same cache entries the project pages use. */
function useOrgServices(orgId: string | null): { id: string; name: string }[] {
  const projects = useProjects(orgId).data ?? [];
  const lists = useQueries({
    queries: projects.map((p) => ({ queryKey: projectKeys.services(p.id), queryFn: () => call(contracts.getProjectsByProjectIdServices, { params: { projectId: p.id } }) })),
  });
  return projects.flatMap((p, i) => (lists[i]?.data ?? []).map((s) => ({ id: s.id, name: projects.length > 1 ? `${p.name} / ${s.name}` : s.name })));
}

/** The organisation's issues across every service (Observability → Issues). */
export default function IssuesPage() {
  const services = useOrgServices(useOrgId());
  return (
    <>
      <PageHeader title="Issues" subtitle="Errors your services report, grouped the way Sentry groups them; new ones and regressions arrive live." />
      <section className="card">
        <IssueList services={services} />
      </section>
    </>
  );
}
