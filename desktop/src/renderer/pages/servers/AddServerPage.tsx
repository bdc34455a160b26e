import { contracts, type ServerCredentials } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ServerStatusBadge } from '../../components/StatusBadge.js';
import { ShownOnce } from '../../components/ShownOnce.js';
import { EmptyState, InlineError, PageHeader } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { useConnection } from '../../lib/connection.js';
import { serverKeys } from '../../lib/servers.js';

function WaitForAgent({ credentials }: { credentials: ServerCredentials }) {
  // The stream patches this query when the agent says hello; polling covers a console without a live stream.
  const live = useConnection((s) => s.streamConnected);
  const server = useQuery({
    queryKey: serverKeys.one(credentials.server.id),
    queryFn: () => call(contracts.getServersByServerId, { params: { serverId: credentials.server.id } }),
    refetchInterval: (q) => (q.state.data?.status === 'online' ? false : live ? 15_000 : 3000),
  });
  const status = server.data?.status ?? credentials.server.status;
  const online = status === 'online';
  return (
    <section className="card">
      <h2>2. Run this on the server</h2>
      <ShownOnce
        noteClassName="muted"
        note="As root. It installs the agent, which connects back to this control plane. The token inside is shown only now."
        values={[{ text: credentials.install_command, testId: 'install-command', command: true }]}
      />
      <h2>3. Wait for it to come online</h2>
      <div className="waiting" data-testid="wait-status">
        <ServerStatusBadge status={status} />
        {online ? (
          <span>
            Connected. <Link to={`/servers/${credentials.server.id}`}>Open {credentials.server.name} →</Link>
          </span>
        ) : (
          <span className="muted">{live ? 'Waiting for the agent to connect (live)…' : 'Waiting for the agent to connect…'}</span>
        )}
      </div>
    </section>
  );
}

export default function AddServerPage() {
  const canWrite = useCan('servers.write');
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const client = useQueryClient();
  const create = useMutation({
    onSuccess: () => client.invalidateQueries({ queryKey: ['servers'] }),
    mutationFn: () =>
      call(contracts.postServers, {
        body: { name, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) },
      }),
  });
  if (!canWrite) return <EmptyState title="Only admins add servers">Ask an owner or admin of this organisation.</EmptyState>;
  return (
    <>
      <PageHeader title="Add a server" subtitle="Any Linux machine you can reach with a shell." />
      <section className="card">
        <h2>1. Name it</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <input aria-label="Server name" required maxLength={100} placeholder="web-1" value={name} disabled={!!create.data} onChange={(e) => setName(e.target.value)} />
          <input aria-label="Tags" placeholder="tags, comma separated" value={tags} disabled={!!create.data} onChange={(e) => setTags(e.target.value)} />
          {!create.data && (
            <button className="btn btn-primary" disabled={create.isPending}>
              Create
            </button>
          )}
        </form>
        <InlineError error={create.error} />
      </section>
      {create.data && <WaitForAgent credentials={create.data} />}
    </>
  );
}
