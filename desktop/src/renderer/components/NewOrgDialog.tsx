import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../lib/api-client.js';
import { keys } from '../lib/queries.js';
import { useSession } from '../lib/session.js';
import { Dialog, InlineError } from './ui.js';

/** Any signed-in user can start another organisation (they become its owner). */
export function NewOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => call(contracts.postOrgs, { body: { name } }),
    onSuccess: async (org) => {
      const me = await client.fetchQuery({ queryKey: keys.me, queryFn: () => call(contracts.getAuthMe, {}), staleTime: 0 });
      useSession.getState().setProfile(me.user, me.orgs);
      useSession.getState().setOrg(org.id);
      setName('');
      onClose();
      navigate('/');
    },
  });
  return (
    <Dialog title="New organisation" open={open} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="field">
          <span>Name</span>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="Acme Ops" />
        </label>
        <p className="muted small">You will be its owner; invite your team from the Team page.</p>
        <InlineError error={create.error} />
        <button className="btn btn-primary" disabled={create.isPending}>
          Create organisation
        </button>
      </form>
    </Dialog>
  );
}
