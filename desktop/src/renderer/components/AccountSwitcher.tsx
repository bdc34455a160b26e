import type { AccountsState } from '../../shared/ipc.js';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { desktop } from '../lib/platform.js';
import { restoreSession } from '../lib/session.js';

/** Desktop only: several control planes (accounts) in one app, switchable. */
export function AccountSwitcher() {
  const [state, setState] = useState<AccountsState | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => {
    void desktop?.accounts.list().then(setState);
  }, []);
  if (!desktop || !state || state.accounts.length === 0) return null;
  return (
    <select
      aria-label="Control plane"
      value={state.active_id ?? ''}
      onChange={async (e) => {
        if (e.target.value === '__add') {
          navigate('/login?add=1');
          return;
        }
        setState(await desktop!.accounts.switchTo(e.target.value));
        client.clear();
        await restoreSession();
        navigate('/');
      }}
    >
      {state.accounts.map((a) => (
        <option key={a.id} value={a.id}>
          {a.email} @ {new URL(a.base_url).host}
        </option>
      ))}
      <option value="__add">Add a control plane…</option>
    </select>
  );
}
