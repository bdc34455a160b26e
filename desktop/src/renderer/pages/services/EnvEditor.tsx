import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState, ErrorState, InlineError, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { parseDotEnv } from '../../lib/dotenv.js';
import { useCan } from '../../lib/can.js';
import { projectKeys, useEnv } from '../../lib/projects.js';

export function EnvEditor({ serviceId }: { serviceId: string }) {
  const env = useEnv(serviceId);
  const canWrite = useCan('env.write');
  const canReveal = useCan('env.reveal');
  const client = useQueryClient();
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [paste, setPaste] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const patch = useMutation({
    mutationFn: (body: { set?: Record<string, string>; unset?: string[] }) => call(contracts.patchServicesByServiceIdEnv, { params: { serviceId }, body: { set: {}, unset: [], ...body } }),
    onSuccess: (data) => {
      client.setQueryData(projectKeys.env(serviceId), data);
      setPaste('');
      setKey('');
      setValue('');
    },
  });
  if (env.isPending) return <Skeleton rows={4} />;
  if (env.isError) return <ErrorState error={env.error} retry={() => void env.refetch()} />;
  const pasted = parseDotEnv(paste);
  const toggle = (k: string) => setRevealed((r) => (r.has(k) ? new Set([...r].filter((x) => x !== k)) : new Set([...r, k])));
  return (
    <div className="stack">
      <p className="muted small">Encrypted at rest. A change applies to the next deployment.{env.data.masked ? ' Your role sees names only.' : ''}</p>
      {env.data.vars.length === 0 ? (
        <EmptyState title="No variables">{canWrite ? 'Add one below, or paste a whole .env file.' : 'None set for this service.'}</EmptyState>
      ) : (
        <table className="table" data-testid="env-table">
          <tbody>
            {env.data.vars.map((v) => (
              <tr key={v.key}>
                <td>
                  <code>{v.key}</code>
                </td>
                <td>
                  <code className="env-value">{v.value !== null && revealed.has(v.key) ? v.value : '••••••••'}</code>
                </td>
                <td className="actions">
                  {canReveal && v.value !== null && (
                    <button className="btn btn-small" onClick={() => toggle(v.key)}>
                      {revealed.has(v.key) ? 'Hide' : 'Reveal'}
                    </button>
                  )}
                  {canWrite && (
                    <button className="btn btn-small btn-danger" onClick={() => patch.mutate({ unset: [v.key] })}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              patch.mutate({ set: { [key]: value } });
            }}
          >
            <input aria-label="Variable name" required placeholder="KEY" pattern="[A-Za-z_][A-Za-z0-9_]*" value={key} onChange={(e) => setKey(e.target.value)} />
            <input aria-label="Variable value" placeholder="value" value={value} onChange={(e) => setValue(e.target.value)} style={{ flex: 1 }} />
            <button className="btn">Add</button>
          </form>
          <label className="field">
            <span>Bulk paste a .env file</span>
            <textarea rows={4} value={paste} onChange={(e) => setPaste(e.target.value)} placeholder={'DATABASE_URL=postgres://…\nAPI_KEY="…"'} aria-label="Paste .env" />
          </label>
          {Object.keys(pasted).length > 0 && (
            <button className="btn btn-primary" onClick={() => patch.mutate({ set: pasted })}>
              Set {Object.keys(pasted).length} variables
            </button>
          )}
          <InlineError error={patch.error} />
        </>
      )}
    </div>
  );
}
