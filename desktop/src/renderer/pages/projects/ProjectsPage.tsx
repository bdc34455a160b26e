import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { fieldErrors } from '../../lib/api-error.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { projectKeys, useProjects } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';

function CreateProjectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const orgId = useOrgId();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [repo, setRepo] = useState('');
  const [branch, setBranch] = useState('main');
  const create = useMutation({
    mutationFn: () =>
      call(contracts.postProjects, { body: { name, ...(repo ? { git_repo_url: repo } : {}), ...(branch ? { git_branch: branch } : {}) } }),
    onSuccess: async (project) => {
      await client.invalidateQueries({ queryKey: projectKeys.list(orgId ?? '') });
      navigate(`/projects/${project.id}`);
    },
  });
  const fields = fieldErrors(create.error);
  return (
    <Dialog title="New project" open={open} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="Storefront" />
        </label>
        <label className="field">
          <span>Git repository (optional)</span>
          <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="https://github.com/acme/storefront.git" />
          {fields.git_repo_url && <small className="field-error">{fields.git_repo_url}</small>}
        </label>
        <label className="field">
          <span>Branch</span>
          <input value={branch} onChange={(e) => setBranch(e.target.value)} />
        </label>
        <InlineError error={Object.keys(fields).length ? null : create.error} />
        <button className="btn btn-primary" disabled={create.isPending}>
          Create project
        </button>
      </form>
    </Dialog>
  );
}

export default function ProjectsPage() {
  const orgId = useOrgId();
  const projects = useProjects(orgId);
  const canWrite = useCan('projects.write');
  const [params, setParams] = useSearchParams();
  const newButton = canWrite && (
    <button className="btn btn-primary" onClick={() => setParams({ new: '1' })}>
      New project
    </button>
  );
  return (
    <>
      <PageHeader title="Projects" subtitle="An app and its services, built from one repository." actions={newButton} />
      {projects.isPending && <Skeleton rows={4} height={40} />}
      {projects.isError && <ErrorState error={projects.error} retry={() => void projects.refetch()} />}
      {projects.data?.length === 0 && (
        <EmptyState title="No projects yet" action={newButton}>
          {canWrite ? 'Create a project from a git repository, then add a service to deploy it on one of your servers.' : 'A developer or admin of this organisation can create the first project.'}
        </EmptyState>
      )}
      {projects.data && projects.data.length > 0 && (
        <div className="grid-cards">
          {projects.data.map((p) => (
            <Link key={p.id} to={`/projects/${p.id}`} className="card project-card" data-testid="project-card">
              <h2>{p.name}</h2>
              <p className="muted small">{p.git_repo_url ?? 'no repository'} · {p.git_branch}</p>
              <p className="muted small">updated {timeAgo(p.updated_at)}</p>
            </Link>
          ))}
        </div>
      )}
      <CreateProjectDialog open={canWrite && params.get('new') === '1'} onClose={() => setParams({})} />
    </>
  );
}
