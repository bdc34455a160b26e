import { contracts, type Service, type ServiceRuntime } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton } from '../../components/ui.js';
import { fieldErrors } from '../../lib/api-error.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { projectKeys, useProject, useServices } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';
import { useServers } from '../../lib/servers.js';
import { BuildCheck } from '../../features/ai/index.js';
import { dockerOnly, RuntimeSelect } from '../services/RuntimeSelect.js';
import { ProjectWebhook } from './ProjectWebhook.js';

function CreateServiceDialog({ projectId, open, onClose }: { projectId: string; open: boolean; onClose: () => void }) {
  const orgId = useOrgId();
  const servers = useServers(orgId);
  const client = useQueryClient();
  const navigate = useNavigate();
  // A built service (detect or Dockerfile) gets the build check as the wizard's last step.
  const [checking, setChecking] = useState<string | null>(null);
  const [form, setForm] = useState({ name: 'web', server_id: '', source_type: 'auto' as Service['source_type'], runtime: 'process' as ServiceRuntime, port: '', start_command: '', image_name: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const create = useMutation({
    mutationFn: () =>
      call(contracts.postProjectsByProjectIdServices, {
        params: { projectId },
        body: {
          name: form.name,
          // No server at all: sent absent, and the API's validation message says what is missing.
          server_id: (form.server_id || servers.data?.[0]?.id) as string,
          source_type: form.source_type,
          runtime: dockerOnly(form.source_type) ? 'docker' : form.runtime,
          ...(form.port ? { port: Number(form.port) } : {}),
          ...(form.start_command ? { start_command: form.start_command } : {}),
          ...(form.image_name ? { image_name: form.image_name } : {}),
        },
      }),
    onSuccess: async (service) => {
      await client.invalidateQueries({ queryKey: projectKeys.services(projectId) });
      if (service.source_type === 'image') navigate(`/services/${service.id}`);
      else setChecking(service.id);
    },
  });
  const openService = useCallback(() => checking && navigate(`/services/${checking}`), [checking, navigate]);
  const fields = fieldErrors(create.error);
  return (
    <Dialog title="New service" open={open} onClose={checking ? openService : onClose}>
      {checking ? (
        <BuildCheck serviceId={checking} onDone={openService} />
      ) : servers.data?.length === 0 ? (
        <EmptyState title="Add a server first" action={<Link className="btn btn-primary" to="/servers/new">Add a server</Link>}>
          A service runs on one of your servers.
        </EmptyState>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label className="field">
            <span>Name</span>
            <input required value={form.name} onChange={set('name')} />
            {fields.name && <small className="field-error">{fields.name}</small>}
          </label>
          <label className="field">
            <span>Server</span>
            <select value={form.server_id} onChange={set('server_id')}>
              {servers.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.status})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Build</span>
            <select value={form.source_type} onChange={set('source_type')}>
              <option value="auto">Detect (Node, static, Procfile)</option>
              <option value="dockerfile">Dockerfile</option>
              <option value="image">Prebuilt image</option>
            </select>
          </label>
          <RuntimeSelect value={form.runtime} source={form.source_type} onChange={(runtime) => setForm({ ...form, runtime })} error={fields.runtime} />
          {form.source_type === 'image' && (
            <label className="field">
              <span>Image</span>
              <input value={form.image_name} onChange={set('image_name')} placeholder="ghcr.io/acme/app" />
              {fields.image_name && <small className="field-error">{fields.image_name}</small>}
            </label>
          )}
          <div className="row">
            <label className="field">
              <span>Port</span>
              <input type="number" min={1} max={65535} value={form.port} onChange={set('port')} placeholder="3000" />
            </label>
            <label className="field" style={{ flex: 1 }}>
              <span>Start command (optional)</span>
              <input value={form.start_command} onChange={set('start_command')} placeholder="node server.js" />
            </label>
          </div>
          <InlineError error={Object.keys(fields).length ? null : create.error} />
          <button className="btn btn-primary" disabled={create.isPending}>
            Create service
          </button>
        </form>
      )}
    </Dialog>
  );
}

export default function ProjectDetailPage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  const services = useServices(projectId);
  const canWrite = useCan('services.write');
  const [open, setOpen] = useState(false);
  if (project.isPending) return <Skeleton rows={6} />;
  if (project.isError) return <ErrorState error={project.error} retry={() => void project.refetch()} />;
  const newButton = canWrite && (
    <button className="btn btn-primary" onClick={() => setOpen(true)}>
      New service
    </button>
  );
  return (
    <>
      <PageHeader title={project.data.name} subtitle={`${project.data.git_repo_url ?? 'no repository'} · ${project.data.git_branch}`} actions={newButton} />
      <section className="card">
        <div className="card-head">
          <h2>Services</h2>
          <Link to={`/deployments?project=${projectId}`}>Deployments of this project</Link>
        </div>
        {services.isPending && <Skeleton rows={3} />}
        {services.isError && <ErrorState error={services.error} />}
        {services.data?.length === 0 && (
          <EmptyState title="No services yet" action={newButton}>
            A service is one process of this project (web, worker…) on one of your servers.
          </EmptyState>
        )}
        {services.data && services.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Build</th>
                <th>Runtime</th>
                <th>Port</th>
                <th>Domains</th>
              </tr>
            </thead>
            <tbody>
              {services.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/services/${s.id}`}>{s.name}</Link>
                  </td>
                  <td className="muted">{s.source_type}</td>
                  <td className="muted">{s.runtime}</td>
                  <td className="muted">{s.port ?? '—'}</td>
                  <td className="muted small">{s.domains.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {project.data.git_repo_url && <ProjectWebhook projectId={projectId} />}
      <CreateServiceDialog projectId={projectId} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
