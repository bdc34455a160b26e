import { useQuery } from '@tanstack/react-query';
import { contracts } from '@syntra/shared';
import { useState } from 'react';
import { Dialog, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { RecordingPlayer } from './RecordingPlayer.js';

function size(bytes: number) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The audit trail of terminal sessions on a server (admins), with replay of recorded ones. */
export function SessionHistory({ serverId }: { serverId: string }) {
  const sessions = useQuery({
    queryKey: ['terminal-sessions', serverId],
    queryFn: () => call(contracts.getServersByServerIdTerminalSessions, { params: { serverId }, query: { limit: 20 } }),
    refetchInterval: 10_000,
  });
  const [replay, setReplay] = useState<string | null>(null);
  if (!sessions.data?.items.length) return null;
  return (
    <section className="card">
      <h2>Recent sessions</h2>
      <table className="table" data-testid="terminal-sessions">
        <thead>
          <tr>
            <th>Who</th>
            <th>Target</th>
            <th>Started</th>
            <th>Status</th>
            <th>In / out</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.data.items.map((s) => (
            <tr key={s.id}>
              <td>{s.user?.email ?? '—'}</td>
              <td>{s.target.kind === 'host' ? 'host shell' : `service ${s.target.service_id.slice(0, 8)}`}</td>
              <td>{timeAgo(s.started_at)}</td>
              <td>{s.status === 'ended' ? (s.exit_signal ? `ended (${s.exit_signal})` : `ended (exit ${s.exit_code ?? '?'})`) : s.status}</td>
              <td>
                {size(s.bytes_in)} / {size(s.bytes_out)}
              </td>
              <td>
                {s.recorded && (
                  <button className="btn btn-small" onClick={() => setReplay(s.id)}>
                    Replay
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog title="Session recording" open={replay !== null} onClose={() => setReplay(null)}>
        {replay && <RecordingPlayer sessionId={replay} />}
      </Dialog>
    </section>
  );
}
